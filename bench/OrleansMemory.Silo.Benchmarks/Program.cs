// What the silo's storage measuring costs: the same writes through a provider directly (baseline) and through
// InstrumentedGrainStorage with OpenTelemetry listening (a meter provider aggregating every OrleansMemory instrument,
// a tracer provider recording every storage span), in the same run, alternating rounds.
//   dotnet run -c Release --project bench/OrleansMemory.Silo.Benchmarks [-- writes] [--no-tracing]
// Agent integrations (issue 21): MCP search_memories against HTTP search, and the Agent Framework provider's added
// latency per agent run, on a silo in this process with a user of 10,000 memories (AgentBench.cs):
//   dotnet run -c Release --project bench/OrleansMemory.Silo.Benchmarks -- agents [memories] [calls]
// Issue 24: where the time and CPU of one add go, beside the same run's floors (AddBench.cs), and 10,000 templated facts:
// disk against raw bytes, pending conflicts, add rate (FactsBench.cs):
//   dotnet run -c Release --project bench/OrleansMemory.Silo.Benchmarks -- adds [calls per round] [rounds]
//   dotnet run -c Release --project bench/OrleansMemory.Silo.Benchmarks -- facts [count] [callers]
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Storage;
using OrleansMemory.Hosting;
using OrleansMemory.Silo.Metrics;

if (args is ["adds", ..])
{
    await AddBench.RunAsync(args[1..]);
    return;
}

if (args is ["facts", ..])
{
    await FactsBench.RunAsync(args[1..]);
    return;
}

if (args is ["agents", ..])
{
    await AgentBench.RunAsync(args[1..]);
    return;
}

var writes = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 2000;
var directory = Directory.CreateTempSubdirectory("omem-silo-bench-");
using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(MemoryMetrics.MeterName)
    .AddReader(new PeriodicExportingMetricReader(new DiscardingExporter(), 60_000)).Build();
var tracing = !args.Contains("--no-tracing");
using var tracer = tracing ? Sdk.CreateTracerProviderBuilder().AddSource(MemoryMetrics.Storage.Name).SetSampler(new AlwaysOnSampler()).Build() : null;
using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
var metrics = new MemoryMetrics(services.GetRequiredService<IMeterFactory>());

await using var host = await StorageHost.StartAsync(silo => silo
    .AddFileGrainStorage("file", o => { o.BaseDirectory = directory.FullName; o.CreateBackups = false; })
    .AddMemoryGrainStorage("memory"));
Console.WriteLine($"storage measuring overhead (metrics{(tracing ? " and spans" : " only")}), {writes} writes per round per provider, 3 rounds each, best round shown (load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
Console.WriteLine("| provider | direct µs/write | measured µs/write | ratio | overhead µs/write |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var (name, type, count) in new[] { ("memory", "memory", writes * 10), ("file", "file", writes) })
{
    var direct = host.GetStorage(name);
    var measured = new InstrumentedGrainStorage(name, type, direct, metrics);
    await WriteAsync(direct, count / 10); // warm up
    await WriteAsync(measured, count / 10);
    double best(List<double> xs) => xs.Min();
    List<double> a = [], b = [];
    for (var round = 0; round < 3; round++)
    {
        a.Add(await WriteAsync(direct, count) / count);
        b.Add(await WriteAsync(measured, count) / count);
    }

    Console.WriteLine($"| {name} | {best(a):F2} | {best(b):F2} | {best(b) / best(a):F2} | {best(b) - best(a):F2} |");
}

directory.Delete(recursive: true);

static async Task<double> WriteAsync(IGrainStorage storage, int count)
{
    // 50 grains written in turn, each state keeping the etag its last write returned (a fresh run id keeps runs apart).
    var run = Guid.NewGuid().ToString("N")[..8];
    var grains = Enumerable.Range(0, 50).Select(i => GrainId.Create("user", $"bench/{run}-{i}")).ToArray();
    var states = grains.Select(_ => new GrainState<Payload> { State = new Payload { Text = new string('x', 512) } }).ToArray();
    var start = Stopwatch.GetTimestamp();
    for (var i = 0; i < count; i++)
    {
        var state = states[i % states.Length];
        state.State!.Counter = i;
        await storage.WriteStateAsync("memories/000001", grains[i % grains.Length], state);
    }

    return Stopwatch.GetElapsedTime(start).TotalMicroseconds;
}

/// <summary>A page-sized state.</summary>
internal sealed class Payload
{
    public int Counter { get; set; }

    public string Text { get; set; } = "";
}

/// <summary>Aggregates and drops (the exporter's own cost is not what is measured).</summary>
internal sealed class DiscardingExporter : BaseExporter<Metric>
{
    public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
}
