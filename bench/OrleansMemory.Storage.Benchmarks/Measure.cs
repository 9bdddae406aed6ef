using System.Diagnostics;

namespace OrleansMemory.Storage.Benchmarks;

/// <summary>Throughput and latency of one case.</summary>
internal sealed record Result(double OpsPerSecond, double P50Ms, double P99Ms);

/// <summary>Runs <c>concurrency</c> workers, each on its own grain, and records every operation's latency. The case
/// and its baseline run in alternating slices, so that load from other processes on a shared machine hits both alike.</summary>
internal static class Measure
{
    private const int Slices = 4;

    public static async Task<(Result Case, Result Baseline)> CompareAsync(int concurrency, TimeSpan duration, Func<int, Func<Task>> subject, Func<int, Func<Task>> baseline)
    {
        var results = await RunAsync(concurrency, duration / 2, [subject, baseline]);
        return (results[0], results[1]);
    }

    /// <summary>Runs each subject in turn, slice by slice (<paramref name="duration"/> per subject in all), and returns
    /// one result per subject.</summary>
    public static async Task<Result[]> RunAsync(int concurrency, TimeSpan duration, IReadOnlyList<Func<int, Func<Task>>> subjects)
    {
        var operations = subjects.Select(s => Enumerable.Range(0, concurrency).Select(s).ToArray()).ToArray();
        // Warm up: a few rounds per worker (creates records, fills pools, JITs).
        for (var i = 0; i < 3; i++)
        {
            foreach (var ops in operations)
            {
                await Task.WhenAll(ops.Select(op => op()));
            }
        }

        var accumulators = operations.Select(_ => new Accumulator()).ToArray();
        for (var slice = 0; slice < Slices; slice++)
        {
            for (var s = 0; s < operations.Length; s++)
            {
                await RunSliceAsync(operations[s], duration / Slices, accumulators[s]);
            }
        }

        return accumulators.Select(a => a.Result()).ToArray();
    }

    private static async Task RunSliceAsync(Func<Task>[] operations, TimeSpan duration, Accumulator into)
    {
        var latencies = new List<long>[operations.Length];
        var start = Stopwatch.GetTimestamp();
        var stopAt = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, operations.Length).Select(i => Task.Run(async () =>
        {
            var mine = latencies[i] = new List<long>(4096);
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var t = Stopwatch.GetTimestamp();
                await operations[i]();
                mine.Add(Stopwatch.GetTimestamp() - t);
            }
        })));
        into.Seconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
        into.Latencies.AddRange(latencies.SelectMany(l => l));
    }

    private sealed class Accumulator
    {
        public double Seconds { get; set; }

        public List<long> Latencies { get; } = [];

        public Result Result()
        {
            var all = Latencies.Order().ToArray();
            return new Result(all.Length / Seconds, Percentile(all, 0.50), Percentile(all, 0.99));
        }
    }

    private static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))] * 1000.0 / Stopwatch.Frequency;
}
