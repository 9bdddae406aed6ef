using System.Text.Json;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Benchmarks;

/// <summary>Deterministic memories for the benchmarks: random directions (the hardest case for a quantized index:
/// no clusters, top scores close together), four types, importance 0.0-0.9, a <c>topic</c> metadata key with four values.</summary>
internal static class BenchData
{
    public static readonly string[] Types = [MemoryTypes.Fact, "preference", "event", "skill"];

    private static readonly JsonElement[] Topics = [.. Enumerable.Range(0, 4).Select(i => JsonSerializer.SerializeToElement($"t{i}"))];

    public static float[] RandomVector(Random random, int dimension)
    {
        var v = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            v[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return v;
    }

    public static ImportedMemory Memory(int i, float[] vector) => new($"memory {i}: an ordinary remembered sentence of some length", vector,
        Types[i % 4], i % 10 / 10.0, new Dictionary<string, JsonElement> { ["topic"] = Topics[(i / 4) % 4] });

    /// <summary>Imports <paramref name="count"/> memories in calls of 10,000; returns their ids in order and calls
    /// <paramref name="each"/> with every vector.</summary>
    public static async Task<string[]> ImportAsync(IUserGrain user, int count, int dimension, int seed, Action<int, float[]>? each = null)
    {
        var random = new Random(seed);
        var ids = new List<string>(count);
        for (var start = 0; start < count; start += 10_000)
        {
            var batch = new ImportedMemory[Math.Min(10_000, count - start)];
            for (var i = 0; i < batch.Length; i++)
            {
                var vector = RandomVector(random, dimension);
                each?.Invoke(start + i, vector);
                batch[i] = Memory(start + i, vector);
            }

            ids.AddRange(await user.ImportMemoriesAsync(batch));
        }

        return [.. ids];
    }
}
