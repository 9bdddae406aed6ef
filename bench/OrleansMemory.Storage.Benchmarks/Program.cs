using System.Globalization;
using System.Text;
using System.Text.Json;
using OrleansMemory.Hosting;
using OrleansMemory.Storage;
using OrleansMemory.Storage.Benchmarks;

// Usage: dotnet run -c Release --project bench/OrleansMemory.Storage.Benchmarks -- [seconds per case, split between provider and baseline] [providers...]
// Reads ORLEANSMEMORY_TEST_POSTGRES and ORLEANSMEMORY_TEST_REDIS (scripts/test-servers.sh); skips a server that is not set.
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 2.0;
var only = args.Skip(1).ToHashSet(StringComparer.OrdinalIgnoreCase);
var duration = TimeSpan.FromSeconds(seconds);
var run = "b" + Guid.NewGuid().ToString("N")[..8];
var work = Directory.CreateTempSubdirectory("omem-bench-").FullName;
var payload = new BenchState { Text = new string('x', 1900), Items = ["a", "b", "c"] };
var bytes = JsonSerializer.SerializeToUtf8Bytes(payload, MemoryStateJson.CreateOptions(writeIndented: false));
Console.WriteLine($"Storage benchmark: state of {bytes.Length} bytes, {seconds} s per case, {Environment.ProcessorCount} cores, run {run}");

var cases = new List<(string Name, string Uri, Func<IBaseline> Baseline)>
{
    ("sqlite", "sqlite:" + Path.Combine(work, "bench.db"), () => new SqliteBaseline(Path.Combine(work, "bench.db"))),
    ("file", "file:" + Path.Combine(work, "files") + "?backups=false&pretty=false", () => new FileBaseline(Directory.CreateDirectory(Path.Combine(work, "raw")).FullName)),
};
if (Environment.GetEnvironmentVariable("ORLEANSMEMORY_TEST_POSTGRES") is { Length: > 0 } pg)
{
    cases.Add(("postgres", $"postgres:{pg}?schema=omem_bench_{run}", () => new PostgresBaseline(pg, "omem_rawbench_" + run)));
}

if (Environment.GetEnvironmentVariable("ORLEANSMEMORY_TEST_REDIS") is { Length: > 0 } redis)
{
    cases.Add(("redis", $"redis:{redis}?service=omem-bench-{run}", () => new RedisBaseline(redis, $"omem-rawbench:{run}:")));
}

var report = new StringBuilder();
report.AppendLine("| provider | op | grains | ops/s | p50 ms | p99 ms | raw ops/s | raw p50 ms | raw p99 ms | ratio |");
report.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var (name, uri, createBaseline) in cases.Where(c => only.Count == 0 || only.Contains(c.Name)))
{
    // The provider as the silo registers it, started by a silo's lifecycle (StorageHost).
    await using var host = await StorageHost.StartAsync(silo => silo.AddGrainStorageFromSettings(name, GrainStorageUri.Parse(uri) with { CreateSchema = true }));
    var storage = host.GetStorage(name);
    await using var baseline = createBaseline();
    foreach (var grains in new[] { 1, 16, 64 })
    {
        var (write, rawWrite) = await Measure.CompareAsync(grains, duration, i =>
        {
            var id = GrainId.Create("bench", $"g{grains}-{i}");
            var state = new GrainState<BenchState>(payload);
            return () => storage.WriteStateAsync("state", id, state);
        }, i => () => baseline.WriteAsync($"g{grains}-{i}", bytes));
        var (read, rawRead) = await Measure.CompareAsync(grains, duration, i =>
        {
            var id = GrainId.Create("bench", $"g{grains}-{i}");
            return () => storage.ReadStateAsync("state", id, new GrainState<BenchState>());
        }, i => () => baseline.ReadAsync($"g{grains}-{i}"));
        Row(name, "write", grains, write, rawWrite);
        Row(name, "read", grains, read, rawRead);
    }

    if (baseline is PostgresBaseline postgres)
    {
        await postgres.DropAsync($"omem_bench_{run}");
    }
}

Console.WriteLine();
Console.Write(report);
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
Directory.Delete(work, recursive: true);

void Row(string provider, string op, int grains, Result result, Result raw)
{
    var line = string.Create(CultureInfo.InvariantCulture,
        $"| {provider} | {op} | {grains} | {result.OpsPerSecond:N0} | {result.P50Ms:F2} | {result.P99Ms:F2} | {raw.OpsPerSecond:N0} | {raw.P50Ms:F2} | {raw.P99Ms:F2} | {result.OpsPerSecond / raw.OpsPerSecond:F2} |");
    report.AppendLine(line);
    Console.WriteLine(line);
}

/// <summary>The benchmarked state: about 2 KB of JSON.</summary>
internal sealed class BenchState
{
    public string Text { get; set; } = string.Empty;

    public int Number { get; set; }

    public List<string> Items { get; set; } = [];
}
