using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansMemory;
using OrleansMemory.Benchmarks;
using OrleansMemory.Hosting;

// Local grain calls/s and latency against direct calls on SemaphoreSlim-guarded objects, measured in the same run.
// Usage: dotnet run -c Release --project bench/OrleansMemory.Runtime.Benchmarks [-- seconds-per-case]
var seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 3;
const int GrainCount = 1000;

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.UseSilo(silo => silo.UseLocalhostClustering());
using var host = builder.Build();
await host.StartAsync();
var factory = host.Services.GetRequiredService<IGrainFactory>();
var grains = Enumerable.Range(0, GrainCount).Select(i => factory.GetGrain<IBenchGrain>(i)).ToArray();
var counters = Enumerable.Range(0, GrainCount).Select(_ => new GuardedCounter()).ToArray();
Func<int, Task<int>>[] grainCalls = [.. grains.Select(g => (Func<int, Task<int>>)g.AddAsync)];
Func<int, Task<int>>[] baselineCalls = [.. counters.Select(c => (Func<int, Task<int>>)c.AddAsync)];

Console.WriteLine($"Runtime benchmark: {Environment.ProcessorCount} cores, {seconds:F0} s per case, {GrainCount} grains");
await Measure.SequentialAsync(grainCalls[0], 1); // warm-up and activation
await Measure.ConcurrentAsync(grainCalls, 1);
await Measure.SequentialAsync(baselineCalls[0], 1);
await Measure.ConcurrentAsync(baselineCalls, 1);

var rows = new List<(string Case, Result Grain, Result Baseline)>
{
    ("1 grain, sequential", await Measure.SequentialAsync(grainCalls[0], seconds), await Measure.SequentialAsync(baselineCalls[0], seconds)),
    ($"{GrainCount} grains, concurrent", await Measure.ConcurrentAsync(grainCalls, seconds), await Measure.ConcurrentAsync(baselineCalls, seconds)),
};

Console.WriteLine($"{"case",-26} {"grain calls/s",14} {"p50 us",8} {"p99 us",8} | {"baseline calls/s",16} {"p50 us",8} {"p99 us",8} | ratio");
foreach (var (name, grain, baseline) in rows)
{
    Console.WriteLine($"{name,-26} {grain.CallsPerSecond,14:N0} {grain.P50Us,8:F2} {grain.P99Us,8:F2} | {baseline.CallsPerSecond,16:N0} {baseline.P50Us,8:F2} {baseline.P99Us,8:F2} | {grain.CallsPerSecond / baseline.CallsPerSecond:F2}");
}

await host.StopAsync();

internal readonly record struct Result(double CallsPerSecond, double P50Us, double P99Us);

internal static class Measure
{
    /// <summary>One caller awaiting each call before the next.</summary>
    public static async Task<Result> SequentialAsync(Func<int, Task<int>> call, double seconds)
    {
        var latencies = new List<long>(1 << 20);
        var end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var start = Stopwatch.GetTimestamp();
        long calls = 0;
        while (Stopwatch.GetTimestamp() < end)
        {
            for (var i = 0; i < 256; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                await call(1);
                latencies.Add(Stopwatch.GetTimestamp() - t0);
            }

            calls += 256;
        }

        return Summarise(calls, Stopwatch.GetElapsedTime(start), latencies);
    }

    /// <summary>One worker per core, each calling its share of the targets all at once, round after round.</summary>
    public static async Task<Result> ConcurrentAsync(Func<int, Task<int>>[] targets, double seconds)
    {
        var workers = Environment.ProcessorCount;
        var end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var start = Stopwatch.GetTimestamp();
        var results = await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var mine = targets.Where((_, i) => i % workers == w).ToArray();
            var latencies = new List<long>(1 << 20);
            var tasks = new Task<int>[mine.Length];
            var issued = new long[mine.Length];
            long calls = 0;
            while (Stopwatch.GetTimestamp() < end)
            {
                for (var i = 0; i < mine.Length; i++)
                {
                    issued[i] = Stopwatch.GetTimestamp();
                    tasks[i] = mine[i](1);
                }

                for (var i = 0; i < mine.Length; i++)
                {
                    await tasks[i];
                    if ((i & 15) == 0)
                    {
                        latencies.Add(Stopwatch.GetTimestamp() - issued[i]);
                    }
                }

                calls += mine.Length;
            }

            return (calls, latencies);
        })));
        return Summarise(results.Sum(r => r.calls), Stopwatch.GetElapsedTime(start), [.. results.SelectMany(r => r.latencies)]);
    }

    private static Result Summarise(long calls, TimeSpan elapsed, List<long> latencies)
    {
        latencies.Sort();
        double Percentile(double p) => latencies[(int)Math.Min(latencies.Count - 1, p * latencies.Count)] * 1e6 / Stopwatch.Frequency;
        return new Result(calls / elapsed.TotalSeconds, Percentile(0.50), Percentile(0.99));
    }
}
