using System.Globalization;
using System.Text;
using System.Text.Json;
using OrleansMemory.Hosting;
using OrleansMemory.Storage;
using OrleansMemory.Storage.Benchmarks;

// Usage: dotnet run -c Release --project bench/OrleansMemory.Storage.Benchmarks -- [breakdown] [seconds per case, split between provider and baseline] [providers...]
// Reads ORLEANSMEMORY_TEST_POSTGRES and ORLEANSMEMORY_TEST_REDIS (scripts/test-servers.sh); skips a server that is not set.
// "breakdown" times the write and read stage by stage, from the raw client to the registered provider (Breakdown.cs),
// for the SQL and Redis providers at 1 and 16 grains; seconds are then per stage.
var breakdown = args.Length > 0 && args[0] == "breakdown";
args = breakdown ? args[1..] : args;
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 2.0;
var only = args.Skip(1).ToHashSet(StringComparer.OrdinalIgnoreCase);
if (breakdown)
{
    only.Remove("file");
    if (only.Count == 0)
    {
        only.UnionWith(["sqlite", "postgres", "redis"]);
    }
}
var duration = TimeSpan.FromSeconds(seconds);
var run = "b" + Guid.NewGuid().ToString("N")[..8];
var work = Directory.CreateTempSubdirectory("omem-bench-").FullName;
var payload = new BenchState { Text = new string('x', 1900), Items = ["a", "b", "c"] };
var bytes = JsonSerializer.SerializeToUtf8Bytes(payload, MemoryStateJson.CreateOptions(writeIndented: false));
Console.WriteLine($"Storage benchmark: state of {bytes.Length} bytes, {seconds} s per case, {Environment.ProcessorCount} cores, run {run}");

var cases = new List<(string Name, string Uri, Func<IBaseline> Baseline)>
{
    ("sqlite", "sqlite:" + Path.Combine(work, "bench.db"), () => new SqliteBaseline(Path.Combine(work, "bench.db"), durable: false)),
    ("sqlite-durable", "sqlite:" + Path.Combine(work, "durable.db") + "?durable=true", () => new SqliteBaseline(Path.Combine(work, "durable.db"), durable: true)),
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
report.AppendLine(breakdown
    ? "| provider | grains | stage | writes/s | us per write | of raw | reads/s | us per read | of raw |\n|---|---:|---|---:|---:|---:|---:|---:|---:|"
    : "| provider | op | grains | ops/s | p50 ms | p99 ms | raw ops/s | raw p50 ms | raw p99 ms | ratio |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var (name, uri, createBaseline) in cases.Where(c => only.Count == 0 || only.Contains(c.Name)))
{
    // The provider as the silo registers it, started by a silo's lifecycle (StorageHost).
    await using var host = await StorageHost.StartAsync(silo => silo.AddAdoNetGrainStorageBackends().AddRedisGrainStorageBackend().AddGrainStorageFromSettings(name, GrainStorageUri.Parse(uri) with { CreateSchema = true }));
    var storage = host.GetStorage(name);
    await using var baseline = createBaseline();
    foreach (var grains in breakdown ? [1, 16] : new[] { 1, 16, 64 })
    {
        if (breakdown)
        {
            await Breakdown.RunAsync(name, host, baseline, payload, bytes, grains, duration, report);
            continue;
        }

        var subject = Breakdown.Provider(name, storage, $"g{grains}", payload);
        var (write, rawWrite) = await Measure.CompareAsync(grains, duration, subject.Write, i =>
        {
            var next = Payloads.Changing(bytes);
            return () => baseline.WriteAsync($"g{grains}-{i}", next());
        });
        var (read, rawRead) = await Measure.CompareAsync(grains, duration, subject.Read, i => () => baseline.ReadAsync($"g{grains}-{i}"));
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
