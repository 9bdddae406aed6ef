namespace OrleansMemory.VectorIndex.Tests;

/// <summary>Vectors shaped like real sentence embeddings rather than random directions: a shared mean direction
/// (anisotropy: unrelated texts score about 0.25), 256 topics (same-topic memories score about 0.45-0.75, around the
/// local model's conflict threshold of 0.55) and per-memory noise; near-duplicates at a chosen cosine.</summary>
public sealed class EmbeddingLikeData(int dimension, int seed)
{
    private readonly Random _random = new(seed);
    private readonly float[] _mean = Unit(Gaussian(new Random(seed ^ 0x5151), dimension));
    private readonly float[][] _topics = [.. Enumerable.Range(0, 256).Select(i => Unit(Gaussian(new Random(seed + i + 1), dimension)))];

    /// <summary>A memory: 0.5 of the mean direction, 0.45-0.75 of a topic, the rest noise, normalised.</summary>
    public float[] Next()
    {
        var topic = _topics[_random.Next(_topics.Length)];
        var along = 0.45 + (0.3 * _random.NextDouble());
        var noise = Unit(Gaussian(_random, dimension));
        var rest = Math.Sqrt(Math.Max(0, 1 - 0.25 - (along * along)));
        var v = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            v[i] = (float)((0.5 * _mean[i]) + (along * topic[i]) + (rest * noise[i]));
        }

        return Unit(v);
    }

    /// <summary>A unit vector whose cosine with <paramref name="of"/> (a unit vector) is <paramref name="cosine"/>.</summary>
    public float[] Near(float[] of, double cosine)
    {
        var noise = Gaussian(_random, dimension);
        var along = 0.0;
        for (var i = 0; i < dimension; i++)
        {
            along += noise[i] * of[i];
        }

        for (var i = 0; i < dimension; i++)
        {
            noise[i] -= (float)(along * of[i]);
        }

        noise = Unit(noise);
        var sin = Math.Sqrt(1 - (cosine * cosine));
        var v = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            v[i] = (float)((cosine * of[i]) + (sin * noise[i]));
        }

        return v;
    }

    private static float[] Gaussian(Random random, int dimension)
    {
        var v = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            v[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }

        return v;
    }

    private static float[] Unit(float[] v)
    {
        var norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot(v, v));
        System.Numerics.Tensors.TensorPrimitives.Divide(v, norm, v);
        return v;
    }
}
