using System.Diagnostics;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Benchmarks;

/// <summary>64 callers searching one user of 10,000 x 384 memories in a closed loop, alone and while other callers add
/// memories to the same user, at 50 or 200 adds per second or as fast as they can. Baseline in the same run: one caller
/// searching alone.</summary>
internal static class HotUserBenchmark
{
    public const string Header = "| storage | searchers | writers (adds/s each: - = as fast as it can) | search p50 ms | search p99 ms | searches/s | writes/s | write p50 ms | p99 / single-caller p99 | GC pauses: count, max ms, sum ms (gen2 collections) |\n" +
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    public static async Task<string> RunAsync(IGrainFactory grains, string storage, TimeSpan duration)
    {
        const int Dimension = 384;
        var user = grains.GetGrain<IUserGrain>($"bench-hot-{Guid.NewGuid():N}");
        await BenchData.ImportAsync(user, 10_000, Dimension, 5);
        var queries = Enumerable.Range(0, 64).Select(i => BenchData.RandomVector(new Random(100 + i), Dimension)).ToArray();
        var lines = new List<string>();
        var single = await RunCaseAsync(user, queries, 1, 0, duration);
        foreach (var (searchers, writers, rate) in new[] { (1, 0, 0), (64, 0, 0), (64, 1, 50), (64, 1, 200), (64, 1, 0), (64, 4, 0) })
        {
            var result = searchers == 1 ? single : await RunCaseAsync(user, queries, searchers, writers, duration, rate);
            lines.Add($"| {storage} | {searchers} | {writers}{(writers == 0 ? "" : rate > 0 ? $" ({rate})" : " (-)")} | {result.Search.P(50):F2} | {result.Search.P(99):F2} | {result.Search.Count / duration.TotalSeconds:N0} | " +
                $"{result.Writes.Count / duration.TotalSeconds:N0} | {(result.Writes.Count > 0 ? result.Writes.P(50).ToString("F2") : "-")} | " +
                $"{result.Search.P(99) / single.Search.P(99):F1}x | {result.GcPauses} ({result.Gen2}) |");
        }

        await user.DeleteAllDataAsync();
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>One case; writers add as fast as they can, or at <paramref name="rate"/> adds per second each when positive.</summary>
    private static async Task<(Percentiles Search, Percentiles Writes, string GcPauses, int Gen2)> RunCaseAsync(IUserGrain user, float[][] queries, int searchers, int writers,
        TimeSpan duration, int rate = 0)
    {
        using var pauses = new GcPauses();
        var gen2 = GC.CollectionCount(2);
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var searchTimes = new Percentiles[searchers];
        var writeTimes = new Percentiles[writers];
        var tasks = new List<Task>();
        for (var s = 0; s < searchers; s++)
        {
            var into = searchTimes[s] = new Percentiles();
            var q = queries[s % queries.Length];
            tasks.Add(Task.Run(async () =>
            {
                while (Stopwatch.GetTimestamp() < end)
                {
                    var t = Stopwatch.GetTimestamp();
                    await user.SearchAsync(q, 10);
                    into.Add(t);
                }
            }));
        }

        for (var w = 0; w < writers; w++)
        {
            var into = writeTimes[w] = new Percentiles();
            var random = new Random(1000 + w);
            tasks.Add(Task.Run(async () =>
            {
                var i = 0;
                var started = Stopwatch.GetTimestamp();
                while (Stopwatch.GetTimestamp() < end)
                {
                    var ahead = rate > 0 ? ((double)i / rate) - Stopwatch.GetElapsedTime(started).TotalSeconds : 0;
                    if (ahead > 0)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(ahead));
                        continue;
                    }

                    var vector = BenchData.RandomVector(random, 384);
                    var t = Stopwatch.GetTimestamp();
                    await user.AddMemoryAsync($"written while searched {i++}", vector);
                    into.Add(t);
                }
            }));
        }

        await Task.WhenAll(tasks);
        return (Percentiles.Merge(searchTimes), Percentiles.Merge(writeTimes), pauses.Summary(), GC.CollectionCount(2) - gen2);
    }
}
