using System.Diagnostics;
using System.Text.Json;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Benchmarks;

/// <summary>What a storm of searches on one user costs everyone else on the silo: another user's adds, a conversation's
/// appends and cache reads, each by one closed-loop caller, timed without the storm and then while 64 closed-loop
/// callers search one user of 10,000 x 384 memories (the hot user), in the same run. Target: each p99 at most 1.5x its
/// p99 without the storm.</summary>
internal static class BystanderBenchmark
{
    public const string Header = "| storage | call | p50 ms alone | p99 ms alone | p50 ms beside the storm | p99 ms beside the storm | p99 ratio | hot-user searches/s |\n" +
        "|---|---|---:|---:|---:|---:|---:|---:|";

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

        var calls = new (string Name, Func<int, Task> Call)[]
        {
            ("another user's add", i => other.AddMemoryAsync($"bystander memory {i}", BenchData.RandomVector(new Random(i), Dimension))),
            ("conversation append", i => conversation.AppendMessageAsync(new RawMessage($"m{i}", "user", $"message {i}"))),
            ("cache read", _ => cache.GetAsync()),
        };
        var alone = await MeasureAsync(calls, duration);
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
            $"| {storage} | {c.Name} | {alone[i].P(50):F2} | {alone[i].P(99):F2} | {beside[i].P(50):F2} | {beside[i].P(99):F2} | " +
            $"{beside[i].P(99) / alone[i].P(99):F2}x | {rate:N0} |"));
    }

    /// <summary>Each call by its own closed-loop caller, all at once, for <paramref name="duration"/>.</summary>
    private static async Task<Percentiles[]> MeasureAsync((string Name, Func<int, Task> Call)[] calls, TimeSpan duration)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var results = calls.Select(_ => new Percentiles()).ToArray();
        await Task.WhenAll(calls.Select((c, k) => Task.Run(async () =>
        {
            for (var i = 0; Stopwatch.GetTimestamp() < end; i++)
            {
                var t = Stopwatch.GetTimestamp();
                await c.Call(i + (k * 1_000_000));
                results[k].Add(t);
            }
        })));
        return results;
    }
}
