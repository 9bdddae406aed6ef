using System.Diagnostics;
using System.Globalization;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Benchmarks;

/// <summary>A user with N x D memories written through the grain to real storage; then a new silo on the same storage
/// (nothing cached) and the time from the first search call to its answer, which includes the activation. Baseline in
/// the same run: the same activation reading one page after the other (<c>StorageReadAhead = 1</c>: today's read
/// order). Memory: the managed heap 3 s after the first search (the add check's sketch built) minus before it (full collections), against the raw
/// float32 bytes of the vectors.</summary>
internal static class ActivationBenchmark
{
    public const string Header = "| storage | memories x dim | first search s | target s | sequential pages s (baseline) | ratio | read pages s (floor) | read + JSON s (floor) | first search / read + JSON | heap MB | raw float32 MB | heap / raw | heap / raw with SemanticMemory objects (baseline) | write s |\n" +
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    /// <summary>Runs one case. <paramref name="directory"/>: the file provider's root (file floors);
    /// <paramref name="postgres"/>: the connection string with the run's schema as search path (PostgreSQL floors).</summary>
    public static async Task<string> RunAsync(string name, string storageUri, string? directory, string? postgres, int count, int dimension, double target,
        int? pageBytes = null)
    {
        var userId = $"bench-activate-{count}x{dimension}-{Guid.NewGuid():N}";
        var query = BenchData.RandomVector(new Random(7), dimension);
        var write = Stopwatch.GetTimestamp();
        await using (var silo = await BenchSilo.StartAsync(storageUri, o => o.MemoryPageBytes = pageBytes ?? o.MemoryPageBytes))
        {
            await BenchData.ImportAsync(silo.Grains.GetGrain<IUserGrain>(userId), count, dimension, dimension);
        }

        var writeTime = Stopwatch.GetElapsedTime(write);
        var (sequential, _) = await FirstSearchAsync(storageUri, userId, query, readAhead: 1);
        var (first, heap) = await FirstSearchAsync(storageUri, userId, query, readAhead: 8);
        // No DeleteAllDataAsync: the run's directory and schema are dropped at the end.
        var raw = (double)count * dimension * sizeof(float);
        var floor = directory is not null ? FileFloor(directory, userId)
            : postgres is not null ? await ActivationFloors.PostgresAsync(postgres, userId)
            : ((TimeSpan?)null, (TimeSpan?)null, (long?)null);
        var (read, decode, objects) = floor;
        // The layout before compact rows: the same vectors (float32, int8, scale, code sum, state) plus every memory as
        // the SemanticMemory the storage deserializer makes and an id index entry.
        var before = objects is { } o ? $"{(o + ((double)count * ((dimension * 5) + 9))) / raw:F2}x" : "-";
        var pages = pageBytes is { } b ? $" ({b / 1024} KiB pages)" : "";
        return $"| {name}{pages} | {count:N0} x {dimension} | {first.TotalSeconds:F2} | {target:F0} | {sequential.TotalSeconds:F2} | {first / sequential:F2}x | " +
            $"{Seconds(read)} | {Seconds(decode)} | {(decode is { } d ? $"{first / d:F2}x" : "-")} | {heap / 1e6:F0} | {raw / 1e6:F0} | {heap / raw:F2}x | {before} | {writeTime.TotalSeconds:F0} |";
    }

    private static string Seconds(TimeSpan? time) => time is { } t ? $"{t.TotalSeconds:F2}" : "-";

    /// <summary>Floors for the file provider: reading the user's memory page files one after the other, and reading
    /// them plus deserializing each with the storage's JSON options (no grain, no matrix).</summary>
    private static (TimeSpan? Read, TimeSpan? Decode, long? Objects) FileFloor(string directory, string userId)
    {
        var files = Directory.GetFiles(directory, "memories*.json", SearchOption.AllDirectories).Where(f => f.Contains(userId, StringComparison.Ordinal)).ToArray();
        var start = Stopwatch.GetTimestamp();
        long bytes = 0;
        foreach (var file in files)
        {
            bytes += File.ReadAllBytes(file).Length;
        }

        var read = Stopwatch.GetElapsedTime(start);
        var decoded = new ActivationFloors.KeptMemories(keep: false);
        start = Stopwatch.GetTimestamp();
        foreach (var file in files)
        {
            decoded.Add(File.ReadAllBytes(file));
        }

        var decode = Stopwatch.GetElapsedTime(start);
        Console.WriteLine($"  ({files.Length} page files, {bytes / 1e6:F0} MB, {decoded.Count} items)");
        var kept = new ActivationFloors.KeptMemories(keep: true);
        foreach (var file in files)
        {
            kept.Add(File.ReadAllBytes(file));
        }
        return (read, decode, kept.HeapBytes());
    }

    private static async Task<(TimeSpan FirstSearch, long Heap)> FirstSearchAsync(string storageUri, string userId, float[] query, int readAhead)
    {
        await using var silo = await BenchSilo.StartAsync(storageUri, o => o.StorageReadAhead = readAhead);
        var user = silo.Grains.GetGrain<IUserGrain>(userId);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var gen2 = GC.CollectionCount(2);
        var pause = GC.GetTotalPauseDuration();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var server = ServerCpu();
        var start = Stopwatch.GetTimestamp();
        var found = await user.SearchAsync(query, 10);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var serverCpu = ServerCpu() - server;
        Console.WriteLine($"  (read-ahead {readAhead}: CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s in this process" +
            (serverCpu > 0 ? $", {serverCpu:F2} s in local PostgreSQL processes)" : ")"));
        Console.WriteLine($"  (read-ahead {readAhead}: {GC.CollectionCount(2) - gen2} gen2 collections, {(GC.GetTotalPauseDuration() - pause).TotalSeconds:F2} s of GC pauses)");
        if (found.Count != 10)
        {
            throw new InvalidOperationException($"The first search found {found.Count} memories, not 10.");
        }

        // The add's duplicate check has its own index (a sign sketch, 136 bytes a row) that a grain timer builds in
        // slices after activation: count it too.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var heap = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(user);
        return (elapsed, heap);
    }

    /// <summary>CPU seconds used so far by local processes named postgres (from /proc; 0 elsewhere): the server's share of
    /// an activation on this machine.</summary>
    private static double ServerCpu()
    {
        double total = 0;
        foreach (var process in Directory.Exists("/proc") ? Directory.GetDirectories("/proc") : [])
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(process, "comm")).StartsWith("postgres", StringComparison.Ordinal))
                {
                    continue;
                }

                var stat = File.ReadAllText(Path.Combine(process, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                total += (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0; // utime, stime in ticks of 1/100 s
            }
            catch (IOException)
            {
                // gone meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                // not ours to read
            }
        }

        return total;
    }
}
