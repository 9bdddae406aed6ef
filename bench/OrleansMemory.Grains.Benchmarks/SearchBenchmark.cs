using System.Diagnostics;
using System.Numerics.Tensors;
using System.Text.Json;
using OrleansMemory.Abstractions;
using OrleansMemory.VectorIndex;

namespace OrleansMemory.Grains.Benchmarks;

/// <summary>Top-10 search over N memories of dimension D, all in one run on the same data: through the user grain (a
/// real grain call; int8 scan and exact re-rank), the same two-stage index alone, today's exact float32 scan
/// (<see cref="EmbeddingMatrix.SearchExact"/>), and the bare float32 floor (one TensorPrimitives.Dot per row over the
/// contiguous array, nothing else). Recall@10 is the share of the exact float32 top 10 the grain returns. Filtered
/// searches (a type matching 1/4 of the memories; importance at least 0.5, 1/2; a metadata key, 1/4) are compared with
/// the unfiltered grain search.</summary>
internal static class SearchBenchmark
{
    public const string Header = "| memories x dim | grain p50 ms | grain p99 ms | index p50 ms | exact scan p50 ms (today) | float32 floor p50 ms | grain / floor | grain / exact | recall@10 | type filter p50 ms | importance filter p50 ms | metadata filter p50 ms | worst filter / unfiltered | queries | load |\n" +
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|";

    public static async Task<string> RunAsync(IGrainFactory grains, int count, int dimension, TimeSpan budget)
    {
        var user = grains.GetGrain<IUserGrain>($"bench-search-{count}x{dimension}-{Guid.NewGuid():N}");
        var matrix = new EmbeddingMatrix();
        matrix.Reserve(dimension, count);
        var load = Stopwatch.GetTimestamp();
        var ids = await BenchData.ImportAsync(user, count, dimension, count ^ dimension,
            (_, v) => matrix.Add(EmbeddingMatrix.Normalize(v), RowState.Live));
        var loadTime = Stopwatch.GetElapsedTime(load);
        var random = new Random(dimension);
        var queries = Enumerable.Range(0, 64).Select(_ => BenchData.RandomVector(random, dimension)).ToArray();
        var normalized = queries.Select(q => EmbeddingMatrix.Normalize(q)).ToArray();
        var scores = new float[count];

        // Recall against the exact float32 top 10, over every query (this also warms every path up).
        double hits = 0;
        foreach (var (query, exactQuery) in queries.Zip(normalized))
        {
            var expected = matrix.SearchExact(exactQuery, 10, -1, false, null).Select(e => ids[e.Row]).ToHashSet();
            var found = await user.SearchAsync(query, 10);
            hits += found.Count(f => expected.Contains(f.Memory.Id));
            _ = matrix.Search(exactQuery, 10, 0, false, null);
            Floor(matrix.Data, exactQuery, dimension, scores);
        }

        var recall = hits / (queries.Length * 10.0);
        var grain = await TimeAsync(budget, q => user.SearchAsync(queries[q], 10));
        var index = await TimeAsync(budget, q => Task.FromResult(matrix.Search(normalized[q], 10, 0, false, null)));
        var exact = await TimeAsync(budget, q => Task.FromResult(matrix.SearchExact(normalized[q], 10, 0, false, null)));
        var floor = await TimeAsync(budget, q => Task.FromResult(Floor(matrix.Data, normalized[q], dimension, scores)));
        var byType = await TimeAsync(budget, q => user.SearchAsync(queries[q], 10, 0, new MemoryFilter(Types: ["preference"])));
        var byImportance = await TimeAsync(budget, q => user.SearchAsync(queries[q], 10, 0, new MemoryFilter(MinImportance: 0.5)));
        var byMetadata = await TimeAsync(budget, q => user.SearchAsync(queries[q], 10, 0,
            new MemoryFilter(Metadata: new Dictionary<string, JsonElement> { ["topic"] = JsonSerializer.SerializeToElement("t1") })));
        var worst = Math.Max(byType.P(50), Math.Max(byImportance.P(50), byMetadata.P(50)));
        await user.DeleteAllDataAsync();
        return $"| {count:N0} x {dimension} | {grain.P(50):F3} | {grain.P(99):F3} | {index.P(50):F3} | {exact.P(50):F3} | {floor.P(50):F3} | " +
            $"{grain.P(50) / floor.P(50):F2}x | {grain.P(50) / exact.P(50):F2}x | {recall:F4} | {byType.P(50):F3} | {byImportance.P(50):F3} | {byMetadata.P(50):F3} | " +
            $"{worst / grain.P(50):F2}x | {grain.Count} | {loadTime.TotalSeconds:F1} s |";
    }

    private static async Task<Percentiles> TimeAsync<T>(TimeSpan budget, Func<int, Task<T>> search)
    {
        var result = new Percentiles();
        var end = Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency);
        for (var i = 0; (Stopwatch.GetTimestamp() < end || result.Count < 20) && result.Count < 5000; i++)
        {
            var t = Stopwatch.GetTimestamp();
            _ = await search(i % 64);
            result.Add(t);
        }

        return result;
    }

    /// <summary>The brute-force floor: one Dot per row over the contiguous array, scores kept; returns the best score.</summary>
    private static float Floor(ReadOnlySpan<float> data, float[] query, int dimension, float[] scores)
    {
        for (var row = 0; row < scores.Length; row++)
        {
            scores[row] = TensorPrimitives.Dot(data.Slice(row * dimension, dimension), query);
        }

        return TensorPrimitives.Max(scores);
    }
}
