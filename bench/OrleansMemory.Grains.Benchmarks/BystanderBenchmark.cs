using System.Diagnostics;
using System.Text.Json;
using OrleansMemory.Abstractions;
using OrleansMemory.VectorIndex;

namespace OrleansMemory.Grains.Benchmarks;

/// <summary>What a storm of searches on one user costs everyone else on the silo: another user's adds, a conversation's
/// appends and cache reads, each by one caller at 50 calls/s (interactive traffic), timed without the storm and then
/// while 64 closed-loop callers search one user of 10,000 x 384 memories (the hot user), in the same run. Target: each
/// p99 at most 1.5x its p99 without the storm. The two phases alternate over several rounds (a phase without the storm,
/// then one beside it, and again), so that a change in the machine's other load (a build, another process's disk
/// writes) falls on both, and each case gathers about a thousand calls: a p99 of 250 calls is their third slowest.</summary>
internal static class BystanderBenchmark
{
    public const string Header = "| storage | call | calls alone | p50 ms alone | p99 ms alone | calls beside the storm | p50 ms beside | p99 ms beside | p99 ratio | hot-user searches/s |\n" +
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|";

    private const int CallsPerSecond = 50;

    /// <summary>Runs <paramref name="rounds"/> rounds of both phases, each phase <paramref name="duration"/> long; returns
    /// the table's rows and, per phase, where the calls waited (<see cref="BystanderProbes"/>). With
    /// <paramref name="compareYield"/>, each round has a third phase: beside the storm with search threads that do not
    /// yield between searches (rows marked so).</summary>
    public static async Task<(string Rows, string Probes)> RunAsync(IGrainFactory grains, string storage, TimeSpan duration, int rounds, bool compareYield = false)
    {
        const int Dimension = 384;
        var hot = grains.GetGrain<IUserGrain>($"bench-storm-{Guid.NewGuid():N}");
        await BenchData.ImportAsync(hot, 10_000, Dimension, 5);
        var other = grains.GetGrain<IUserGrain>($"bench-bystander-{Guid.NewGuid():N}");
        await BenchData.ImportAsync(other, 1_000, Dimension, 6);
        var conversation = grains.GetGrain<IConversationGrain>($"bench-bystander-{Guid.NewGuid():N}");
        var cache = grains.GetGrain<ICacheGrain>($"bench-bystander-{Guid.NewGuid():N}");
        await cache.SetAsync(JsonSerializer.SerializeToElement("a cached completion"), TimeSpan.FromHours(1));

        // Each phase writes new memories and messages: a message id or memory seen before would be answered as a retry
        // (appends are idempotent on message ids) or a duplicate, not written.
        var phase = 0;
        var calls = new (string Name, Func<int, Task> Call)[]
        {
            ("another user's add", i => other.AddMemoryAsync($"bystander memory {phase}-{i}", BenchData.RandomVector(new Random(phase * 1_000_000 + i), Dimension))),
            ("conversation append", i => conversation.AppendMessageAsync(new RawMessage($"m{phase}-{i}", "user", $"message {i}"))),
            ("cache read", _ => cache.GetAsync()),
        };
        var alone = calls.Select(_ => new Percentiles()).ToArray();
        var beside = calls.Select(_ => new Percentiles()).ToArray();
        var besideNotYielding = calls.Select(_ => new Percentiles()).ToArray();
        using var aloneProbes = new BystanderProbes();
        using var besideProbes = new BystanderProbes();
        using var notYieldingProbes = new BystanderProbes();
        var queries = Enumerable.Range(0, 64).Select(i => BenchData.RandomVector(new Random(100 + i), Dimension)).ToArray();
        var measured = new long[2];
        var stormSeconds = new double[2];
        for (var round = 0; round < rounds; round++)
        {
            phase++;
            aloneProbes.Active = true;
            await MeasureAsync(calls, duration, alone);
            aloneProbes.Active = false;
            foreach (var yielding in compareYield ? [true, false] : new[] { true })
            {
                var k = yielding ? 0 : 1;
                phase++;
                SearchThreads.YieldBetweenSearches = yielding;
                try
                {
                    var (searches, seconds) = await StormAsync(hot, queries, calls, duration, yielding ? beside : besideNotYielding, yielding ? besideProbes : notYieldingProbes);
                    measured[k] += searches;
                    stormSeconds[k] += seconds;
                }
                finally
                {
                    SearchThreads.YieldBetweenSearches = true;
                }
            }
        }

        await hot.DeleteAllDataAsync();
        await other.DeleteAllDataAsync();
        var rows = calls.Select((c, i) => Row(storage, c.Name, alone[i], beside[i], measured[0] / stormSeconds[0]));
        if (compareYield)
        {
            rows = rows.Concat(calls.Select((c, i) => Row(storage, c.Name + " (searches not yielding)", alone[i], besideNotYielding[i], measured[1] / stormSeconds[1])));
        }

        var probes = $"- {storage}, alone: {aloneProbes.Summary()}{Environment.NewLine}- {storage}, beside the storm: {besideProbes.Summary()}";
        if (compareYield)
        {
            probes += $"{Environment.NewLine}- {storage}, beside the storm, searches not yielding: {notYieldingProbes.Summary()}";
        }

        return (string.Join(Environment.NewLine, rows), probes);
    }

    private static string Row(string storage, string call, Percentiles alone, Percentiles beside, double rate) =>
        $"| {storage} | {call} | {alone.Count} | {Ms(alone, 50)} | {Ms(alone, 99)} | {beside.Count} | {Ms(beside, 50)} | {Ms(beside, 99)} | " +
        $"{(beside.Count > 0 ? $"{beside.P(99) / alone.P(99):F2}x" : "no call finished")} | {rate:N0} |";

    /// <summary>One phase beside the storm: 64 closed-loop searchers on the hot user, a second to reach their pace, then
    /// the calls measured; returns the searches made while measuring and the seconds measured.</summary>
    private static async Task<(long Searches, double Seconds)> StormAsync(IUserGrain hot, float[][] queries, (string Name, Func<int, Task> Call)[] calls,
        TimeSpan duration, Percentiles[] results, BystanderProbes probes)
    {
        var searches = 0L;
        using var stop = new CancellationTokenSource();
        var storm = Enumerable.Range(0, 64).Select(s => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await hot.SearchAsync(queries[s], 10);
                Interlocked.Increment(ref searches);
            }
        })).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(1)); // the storm reaches its pace
        var before = Interlocked.Read(ref searches);
        var started = Stopwatch.GetTimestamp();
        probes.Active = true;
        await MeasureAsync(calls, duration, results);
        probes.Active = false;
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var measured = Interlocked.Read(ref searches) - before;
        await stop.CancelAsync();
        await Task.WhenAll(storm);
        return (measured, seconds);
    }

    private static string Ms(Percentiles times, double percentile) => times.Count > 0 ? times.P(percentile).ToString("F2") : "-";

    /// <summary>Each call by its own caller at <see cref="CallsPerSecond"/>, all at once, for <paramref name="duration"/>;
    /// adds the latencies to <paramref name="results"/>.</summary>
    private static async Task MeasureAsync((string Name, Func<int, Task> Call)[] calls, TimeSpan duration, Percentiles[] results)
    {
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(calls.Select((c, k) => Task.Run(async () =>
        {
            for (var i = 0; Stopwatch.GetElapsedTime(started) < duration; i++)
            {
                var due = TimeSpan.FromSeconds((double)i / CallsPerSecond) - Stopwatch.GetElapsedTime(started);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }

                var t = Stopwatch.GetTimestamp();
                await c.Call(i + (k * 1_000_000));
                results[k].Add(t);
            }
        })));
    }
}
