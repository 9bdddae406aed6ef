using System.Diagnostics;
using System.Text.Json;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Benchmarks;

/// <summary>What a storm of searches on one user costs everyone else on the silo: another user's adds, a conversation's
/// appends and cache reads, each by one caller at 50 calls/s (interactive traffic), timed without the storm and then
/// while 64 closed-loop callers search one user of 10,000 x 384 memories (the hot user), in the same run. Target: each p99 at most 1.5x its
/// p99 without the storm.</summary>
internal static class BystanderBenchmark
{
    public const string Header = "| storage | call | calls alone | p50 ms alone | p99 ms alone | calls beside the storm | p50 ms beside | p99 ms beside | p99 ratio | hot-user searches/s |\n" +
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|";

    private const int CallsPerSecond = 50;

    public static async Task<string> RunAsync(IGrainFactory grains, string storage, TimeSpan duration)
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
        var alone = await MeasureAsync(calls, duration);
        phase = 1;
        var queries = Enumerable.Range(0, 64).Select(i => BenchData.RandomVector(new Random(100 + i), Dimension)).ToArray();
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
        var beside = await MeasureAsync(calls, duration);
        var rate = (Interlocked.Read(ref searches) - before) / Stopwatch.GetElapsedTime(started).TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(storm);
        await hot.DeleteAllDataAsync();
        await other.DeleteAllDataAsync();
        return string.Join(Environment.NewLine, calls.Select((c, i) =>
            $"| {storage} | {c.Name} | {alone[i].Count} | {Ms(alone[i], 50)} | {Ms(alone[i], 99)} | {beside[i].Count} | {Ms(beside[i], 50)} | {Ms(beside[i], 99)} | " +
            $"{(beside[i].Count > 0 ? $"{beside[i].P(99) / alone[i].P(99):F2}x" : "no call finished")} | {rate:N0} |"));
    }

    private static string Ms(Percentiles times, double percentile) => times.Count > 0 ? times.P(percentile).ToString("F2") : "-";

    /// <summary>Each call by its own caller at <see cref="CallsPerSecond"/>, all at once, for <paramref name="duration"/>.</summary>
    private static async Task<Percentiles[]> MeasureAsync((string Name, Func<int, Task> Call)[] calls, TimeSpan duration)
    {
        var started = Stopwatch.GetTimestamp();
        var results = calls.Select(_ => new Percentiles()).ToArray();
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
        return results;
    }
}
