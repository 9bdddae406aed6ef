using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OrleansMemory;
using OrleansMemory.Cluster.Benchmarks;
using OrleansMemory.Configuration;
using OrleansMemory.Hosting;
using OrleansMemory.Runtime;
using OrleansMemory.TestingHost;

// Remote grain calls between two silos on loopback versus a bare echo (probe frame and its answer) over the same
// Kestrel connection, in the same run; then kill-to-first-successful-call with the default failure detection.
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var duration = TimeSpan.FromSeconds(seconds);

await using (var cluster = new InProcessTestClusterBuilder(2).Build())
{
    await cluster.DeployAsync();
    var caller = cluster.Silos[0];
    var callee = cluster.Silos[1];
    var keys = Enumerable.Range(0, 100_000).Where(k => callee.SiloAddress.Equals(callee.HomeOf(GrainId.Create("benchecho", k.ToString(CultureInfo.InvariantCulture))))).Take(256).ToArray();
    var grains = keys.Select(k => caller.GrainFactory.GetGrain<IEchoGrain>(k)).ToArray();
    var transport = caller.Host.Services.GetRequiredService<GrainRuntime>().Cluster!.Transport;
    var connection = await transport.GetConnectionAsync(callee.SiloAddress);

    Console.WriteLine($"Cluster benchmark: 2 silos on loopback, {Environment.ProcessorCount} cores, {seconds} s per measurement");
    Console.WriteLine("| measurement | callers | calls/s | p50 ms | p99 ms |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    foreach (var callers in new[] { 1, 64 })
    {
        await MeasureAsync("warm-up", callers, TimeSpan.FromSeconds(1), i => new ValueTask(connection.PingAsync(long.MaxValue)), print: false);
        var echo = await MeasureAsync("Kestrel echo (same connection, framing)", callers, duration, i => new ValueTask(connection.PingAsync(long.MaxValue)));
        await MeasureAsync("warm-up", callers, TimeSpan.FromSeconds(1), i => new ValueTask(grains[i % grains.Length].EchoAsync(i)), print: false);
        var grain = await MeasureAsync("remote grain call", callers, duration, i => new ValueTask(grains[i % grains.Length].EchoAsync(i)));
        Console.WriteLine($"| ratio grain/echo | {callers} | {grain / echo:F2} | | |");
    }
}

// Kill to first successful call, default failure-detection options (3 silos), median of 5 runs.
var times = new List<double>();
for (var run = 0; run < 5; run++)
{
    await using var cluster = new InProcessTestClusterBuilder(3)
        .ConfigureSilo((_, silo) => silo.Configure<ClusterMembershipOptions>(o =>
        {
            var defaults = new ClusterMembershipOptions();
            o.IAmAlivePeriod = defaults.IAmAlivePeriod;
            o.TableRefreshPeriod = defaults.TableRefreshPeriod;
            o.ProbePeriod = defaults.ProbePeriod;
            o.ProbeTimeout = defaults.ProbeTimeout;
            o.NumMissedProbesLimit = defaults.NumMissedProbesLimit;
            o.IAmAliveTableTimeout = defaults.IAmAliveTableTimeout;
            o.TableUnreachableTimeout = defaults.TableUnreachableTimeout;
            o.ShutdownHandOverTime = defaults.ShutdownHandOverTime;
        }))
        .ConfigureClient(c => c.Configure<ClientGatewayOptions>(o => o.RefreshPeriod = new ClientGatewayOptions().RefreshPeriod))
        .Build();
    await cluster.DeployAsync();
    var victim = cluster.Silos[2];
    var key = Enumerable.Range(0, 10_000).First(k => victim.SiloAddress.Equals(victim.HomeOf(GrainId.Create("benchecho", k.ToString(CultureInfo.InvariantCulture)))));
    var grain = cluster.Client.GetGrain<IEchoGrain>(key);
    await grain.EchoAsync(1);
    var start = Stopwatch.GetTimestamp();
    await cluster.KillSiloAsync(victim);
    for (var attempt = 0; attempt < 1_000; attempt++)
    {
        try
        {
            await grain.EchoAsync(2);
            break;
        }
        catch (Exception ex) when (ex is SiloUnavailableException or TimeoutException)
        {
            await Task.Delay(10);
        }
    }

    times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
}

times.Sort();
Console.WriteLine();
Console.WriteLine($"Kill to first successful call (default failure detection, 3 silos): median {times[2]:F0} ms (runs: {string.Join(", ", times.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))} ms)");

static async Task<double> MeasureAsync(string name, int callers, TimeSpan duration, Func<int, ValueTask> call, bool print = true)
{
    var latencies = new List<long>[callers];
    var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var started = Stopwatch.GetTimestamp();
    var workers = Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
    {
        var own = latencies[c] = new List<long>(1 << 16);
        for (var i = c; own.Count < 50_000_000; i += callers)
        {
            var t0 = Stopwatch.GetTimestamp();
            if (t0 > stopAt)
            {
                break;
            }

            await call(i);
            own.Add(Stopwatch.GetTimestamp() - t0);
        }
    })).ToArray();
    await Task.WhenAll(workers);
    var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
    var all = latencies.SelectMany(l => l).Order().ToArray();
    var rate = all.Length / elapsed;
    if (print)
    {
        double Ms(double q) => all[(int)Math.Min(all.Length - 1, q * all.Length)] * 1000.0 / Stopwatch.Frequency;
        Console.WriteLine($"| {name} | {callers} | {rate:N0} | {Ms(0.50):F3} | {Ms(0.99):F3} |");
    }

    return rate;
}
