using System.Diagnostics;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Benchmarks;

/// <summary>Adding one memory (with its duplicate and conflict check) to a user holding 100 memories versus one holding
/// N, on the same storage in the same run: paging keeps the write to the tail page and the head, the sign-bit sketch
/// keeps the check short. Then erasing both users (<see cref="IUserGrain.DeleteAllDataAsync"/>); on file storage also
/// against deleting a copy of the large user's files directly.</summary>
internal static class WriteBenchmark
{
    public const string Header = "| storage | operation | p50 at 100 ms | p50 at N ms | N | ratio [<= 1.5] | p99 at 100 ms | p99 at N ms | samples |\n" +
        "|---|---|---:|---:|---:|---:|---:|---:|---:|";

    public const string ClearHeader = "| storage | memories x dim | erase N s | erase 100 s | files | MB | delete the same files directly s | erase / direct |\n" +
        "|---|---|---:|---:|---:|---:|---:|---:|";

    public static async Task<(string Add, string Clear)> RunAsync(IGrainFactory grains, string storage, int count, int dimension, int samples,
        string? fileRoot)
    {
        var smallKey = $"bench-write-100-{Guid.NewGuid():N}";
        var largeKey = $"bench-write-{count}-{Guid.NewGuid():N}";
        var small = grains.GetGrain<IUserGrain>(smallKey);
        var large = grains.GetGrain<IUserGrain>(largeKey);
        await BenchData.ImportAsync(small, 100, dimension, 1);
        await BenchData.ImportAsync(large, count, dimension, 2);
        var random = new Random(3);

        // Warm-up, not measured: the JIT, the storage's first writes, and the sketch the grain builds in slices between
        // calls after an import (about 0.3 s of work at 100,000 rows; its cost is in the 'similar' part).
        for (var i = 0; i < 10; i++)
        {
            await small.AddMemoryAsync($"warm-up {i}", BenchData.RandomVector(random, dimension));
            await large.AddMemoryAsync($"warm-up {i}", BenchData.RandomVector(random, dimension));
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        var atSmall = new Percentiles();
        var atLarge = new Percentiles();
        for (var i = 0; i < samples; i++)
        {
            // Alternate, so that both see the same machine load.
            foreach (var (user, into) in new[] { (small, atSmall), (large, atLarge) })
            {
                var vector = BenchData.RandomVector(random, dimension);
                var t = Stopwatch.GetTimestamp();
                await user.AddMemoryAsync($"new memory {i}", vector);
                into.Add(t);
            }
        }

        var add = $"| {storage} | add memory ({dimension} dims) | {atSmall.P(50):F3} | {atLarge.P(50):F3} | {count:N0} | {atLarge.P(50) / atSmall.P(50):F2}x | " +
            $"{atSmall.P(99):F3} | {atLarge.P(99):F3} | {samples} each |";

        // The erasure of the large user, against the same files deleted directly (a copy made beforehand).
        var directory = fileRoot is null ? null : Directory.EnumerateDirectories(fileRoot, "*" + largeKey[^32..] + "*", SearchOption.AllDirectories).Single();
        string? copy = null;
        long files = 0, bytes = 0;
        if (directory is not null)
        {
            copy = directory + "-copy";
            Directory.CreateDirectory(copy);
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(copy, Path.GetRelativePath(directory, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
                files++;
                bytes += new FileInfo(file).Length;
            }
        }

        var start = Stopwatch.GetTimestamp();
        await small.DeleteAllDataAsync();
        var smallSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        start = Stopwatch.GetTimestamp();
        await large.DeleteAllDataAsync();
        var largeSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var direct = double.NaN;
        if (copy is not null)
        {
            start = Stopwatch.GetTimestamp();
            Directory.Delete(copy, recursive: true);
            direct = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        var clear = $"| {storage} | {count:N0} x {dimension} | {largeSeconds:F2} | {smallSeconds:F3} | " +
            (copy is null ? "- | - | - | - |" : $"{files:N0} | {bytes / 1048576.0:F0} | {direct:F2} | {largeSeconds / direct:F1}x |");
        return (add, clear);
    }
}
