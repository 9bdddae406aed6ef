namespace OrleansMemory.VectorIndex.Tests;

/// <summary>Test embeddings with known cosine similarities.</summary>
public static class Vectors
{
    /// <summary>The unit vector along <paramref name="axis"/>.</summary>
    public static float[] Axis(int dimension, int axis)
    {
        var v = new float[dimension];
        v[axis] = 1;
        return v;
    }

    /// <summary>A unit vector whose cosine similarity with axis <paramref name="axis"/> is <paramref name="cosine"/>
    /// (the rest lies along axis <paramref name="other"/>).</summary>
    public static float[] Near(int dimension, int axis, int other, double cosine)
    {
        var v = new float[dimension];
        v[axis] = (float)cosine;
        v[other] = (float)Math.Sqrt(1 - (cosine * cosine));
        return v;
    }

    /// <summary>A reproducible random vector.</summary>
    public static float[] Random(int dimension, Random random)
    {
        var v = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            v[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return v;
    }
}
