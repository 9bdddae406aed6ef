using System.Diagnostics;

namespace OrleansMemory.Cluster.Benchmarks;

/// <summary>Runs an operation with a number of concurrent callers and records every operation's latency.</summary>
internal static class Measure
{
    /// <summary>Each of <paramref name="callers"/> workers calls <paramref name="operation"/>(worker, iteration)
    /// <paramref name="count"/> times, one after the other.</summary>
    public static Task<Figure> CountAsync(string name, int callers, int count, Func<int, int, ValueTask> operation) =>
        RunAsync(name, callers, count, deadline: null, operation);

    /// <summary>Each of <paramref name="callers"/> workers calls <paramref name="operation"/>(worker, iteration)
    /// one call after the other until <paramref name="duration"/> has passed.</summary>
    public static Task<Figure> ForAsync(string name, int callers, TimeSpan duration, Func<int, int, ValueTask> operation) =>
        RunAsync(name, callers, int.MaxValue, duration, operation);

    /// <summary>One caller's loop. Invoked directly, not through Task.Run, so that every caller has its first call in
    /// flight before the next caller starts: with Task.Run, callers whose calls complete on the thread pool's local
    /// queues can starve callers not yet started, and far fewer than the intended number would be in flight.</summary>
    private static async Task WorkAsync(int worker, int count, long end, List<long> ticks, Func<int, int, ValueTask> operation)
    {
        for (var i = 0; i < count; i++)
        {
            var t = Stopwatch.GetTimestamp();
            if (t >= end)
            {
                break;
            }

            await operation(worker, i);
            ticks.Add(Stopwatch.GetTimestamp() - t);
        }
    }

    private static async Task<Figure> RunAsync(string name, int callers, int count, TimeSpan? deadline, Func<int, int, ValueTask> operation)
    {
        var lists = new List<long>[callers];
        var start = Stopwatch.GetTimestamp();
        var end = deadline is { } d ? start + (long)(d.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        var workers = new Task[callers];
        for (var w = 0; w < callers; w++)
        {
            var worker = w;
            var ticks = lists[w] = new List<long>(deadline is null ? count : 4096);
            workers[w] = WorkAsync(worker, count, end, ticks, operation);
        }

        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var all = lists.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new Figure(name, callers, all.LongLength, elapsed,
            Latencies.Microseconds(Latencies.At(all, 50)), Latencies.Microseconds(Latencies.At(all, 99)),
            all.Length == 0 ? 0 : Latencies.Microseconds(all.Sum() / all.Length))
        {
            MinPerCaller = lists.Min(l => l.Count),
            MaxPerCaller = lists.Max(l => l.Count),
        };
    }
}
