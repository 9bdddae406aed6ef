using System.Diagnostics;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Benchmarks;

/// <summary>64 callers searching one user of 10,000 x 384 memories in a closed loop, alone and while other callers add
/// memories to the same user, at 50 or 200 adds per second or as fast as they can. Baseline in the same run: one caller
/// searching alone.</summary>
internal static class HotUserBenchmark
{
    public const string Header = "| storage | searchers | writers (adds/s each: - = as fast as it can) | search p50 ms | search p99 ms | searches/s | writes/s | write p50 ms | writes that waited for searches | p99 / single-caller p99 | GC pauses: count, max ms, sum ms (gen2 collections) |\n" +
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    /// <summary>Every case: searchers alone, then with one writer at 50 and 200 adds/s, and one and four writers as fast
    /// as they can (rate 0).</summary>
    public static readonly (int Searchers, int Writers, int Rate)[] AllCases = [(64, 0, 0), (64, 1, 50), (64, 1, 200), (64, 1, 0), (64, 4, 0)];

    /// <summary>Cases as <c>64x1@50,64x4</c>: searchers x writers @ adds per second each (none: as fast as they can).</summary>
    public static (int Searchers, int Writers, int Rate)[] ParseCases(string list) => [.. list.Split(',').Select(item =>
    {
        var rate = item.Split('@');
        var counts = rate[0].Split('x');
        return (int.Parse(counts[0]), counts.Length > 1 ? int.Parse(counts[1]) : 0, rate.Length > 1 ? int.Parse(rate[1]) : 0);
    })];

    public static async Task<string> RunAsync(IGrainFactory grains, string storage, TimeSpan duration, (int Searchers, int Writers, int Rate)[] cases)
    {
        const int Dimension = 384;
        var user = grains.GetGrain<IUserGrain>($"bench-hot-{Guid.NewGuid():N}");
        await BenchData.ImportAsync(user, 10_000, Dimension, 5);
        var queries = Enumerable.Range(0, 64).Select(i => BenchData.RandomVector(new Random(100 + i), Dimension)).ToArray();
        var lines = new List<string>();
        using var load = new SearchWaits();
        var single = await RunCaseAsync(user, queries, 1, 0, duration);
        foreach (var (searchers, writers, rate) in cases.Prepend((1, 0, 0)))
        {
            var waits = load.Count;
            var result = searchers == 1 ? single : await RunCaseAsync(user, queries, searchers, writers, duration, rate);
            waits = searchers == 1 ? 0 : load.Count - waits;
            lines.Add($"| {storage} | {searchers} | {writers}{(writers == 0 ? "" : rate > 0 ? $" ({rate})" : " (-)")} | {Ms(result.Search, 50)} | {Ms(result.Search, 99)} | {result.Search.Count / duration.TotalSeconds:N0} | " +
                $"{result.Writes.Count / duration.TotalSeconds:N0} | {Ms(result.Writes, 50)} | {(result.Writes.Count > 0 ? $"{100.0 * waits / result.Writes.Count:F0}%" : "-")} | " +
                $"{(result.Search.Count > 0 ? $"{result.Search.P(99) / single.Search.P(99):F1}x" : "-")} | {result.GcPauses} ({result.Gen2}) |");
        }

        await user.DeleteAllDataAsync();
        return string.Join(Environment.NewLine, lines);
    }

    private static string Ms(Percentiles times, double percentile) => times.Count > 0 ? times.P(percentile).ToString("F2") : "-";

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
