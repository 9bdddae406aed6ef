using System.Diagnostics;
using System.Numerics.Tensors;
using OrleansMemory.Abstractions;
using OrleansMemory.Grains.Users;

namespace OrleansMemory.Grains.Benchmarks;

/// <summary>Top-10 search over N memories of dimension D: through the user grain (a real grain call: argument and
/// result copies included), the grain's matrix search alone, and the brute-force floor (a bare TensorPrimitives.Dot
/// scan over a contiguous array of the same normalised vectors).</summary>
internal static class SearchBenchmark
{
    public static async Task<string> RunAsync(IGrainFactory grains, int count, int dimension, TimeSpan budget)
    {
        var random = new Random(count ^ dimension);
        var user = grains.GetGrain<IUserGrain>($"bench-{count}x{dimension}");
        var floorData = new float[(long)count * dimension is var total && total <= Array.MaxLength ? (int)total : throw new InvalidOperationException("too large")];
        var matrix = new EmbeddingMatrix();
        matrix.Reserve(dimension, count);
        const int Batch = 2000;
        var load = Stopwatch.GetTimestamp();
        for (var start = 0; start < count; start += Batch)
        {
            var batch = new ImportedMemory[Math.Min(Batch, count - start)];
            for (var i = 0; i < batch.Length; i++)
            {
                var vector = RandomVector(random, dimension);
                batch[i] = new ImportedMemory($"memory {start + i}", vector);
                var normalized = EmbeddingMatrix.Normalize(vector, dimension, int.MaxValue, "v");
                normalized.CopyTo(floorData.AsSpan((start + i) * dimension, dimension));
                matrix.Add(normalized, RowState.Live);
            }

            await user.ImportMemoriesAsync(batch);
        }

        var loadTime = Stopwatch.GetElapsedTime(load);
        var queries = Enumerable.Range(0, 64).Select(_ => RandomVector(random, dimension)).ToArray();
        var normalizedQueries = queries.Select(q => EmbeddingMatrix.Normalize(q, dimension, int.MaxValue, "q")).ToArray();
        var scores = new float[count];

        // Warm up all three paths, and check that the grain finds what the floor finds.
        for (var w = 0; w < 10; w++)
        {
            var expected = Floor(floorData, normalizedQueries[w], dimension, scores);
            var found = await user.SearchAsync(queries[w], 10);
            if (Math.Abs(found[0].Score - expected) > 1e-4)
            {
                throw new InvalidOperationException($"The grain's best score {found[0].Score} differs from the floor's {expected}.");
            }

            _ = matrix.Search(normalizedQueries[w], 10, 0, false, null);
        }

        var grain = new Percentiles();
        var bare = new Percentiles();
        var floor = new Percentiles();
        var floorCpu = TimeSpan.Zero;
        var grainCpu = TimeSpan.Zero;
        var process = Process.GetCurrentProcess();
        var end = Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency);
        for (var i = 0; (Stopwatch.GetTimestamp() < end || grain.Count < 20) && grain.Count < 2000; i++)
        {
            var q = i % queries.Length;
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var t = Stopwatch.GetTimestamp();
            Floor(floorData, normalizedQueries[q], dimension, scores);
            floor.Add(t);
            process.Refresh();
            floorCpu += process.TotalProcessorTime - cpu;
            t = Stopwatch.GetTimestamp();
            _ = matrix.Search(normalizedQueries[q], 10, 0, false, null);
            bare.Add(t);
            process.Refresh();
            cpu = process.TotalProcessorTime;
            t = Stopwatch.GetTimestamp();
            _ = await user.SearchAsync(queries[q], 10);
            grain.Add(t);
            process.Refresh();
            grainCpu += process.TotalProcessorTime - cpu;
        }

        await user.DeleteAllDataAsync();
        return $"| {count:N0} x {dimension} | {grain.P(50):F3} | {grain.P(99):F3} | {bare.P(50):F3} | {floor.P(50):F3} | {floor.P(99):F3} | " +
            $"{grain.P(50) / floor.P(50):F2}x | {bare.P(50) / floor.P(50):F2}x | {grain.Min:F3} | {floor.Min:F3} | " +
            $"{grainCpu.TotalMilliseconds / grain.Count:F3} | {floorCpu.TotalMilliseconds / floor.Count:F3} | {grain.Count} | {loadTime.TotalSeconds:F1} s |";
    }

    /// <summary>The brute-force floor: one Dot per row over the contiguous array, scores kept; returns the best score.</summary>
    private static float Floor(float[] data, float[] query, int dimension, float[] scores)
    {
        for (var row = 0; row < scores.Length; row++)
        {
            scores[row] = TensorPrimitives.Dot(new ReadOnlySpan<float>(data, row * dimension, dimension), query);
        }

        return TensorPrimitives.Max(scores);
    }

    private static float[] RandomVector(Random random, int dimension)
    {
        var v = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            v[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return v;
    }
}
