using System.Diagnostics;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Benchmarks;

/// <summary>A user with N x D memories written through the grain to real storage; then a new silo on the same storage
/// (nothing cached) and the time from the first search call to its answer, which includes the activation. Baseline in
/// the same run: the same activation reading one page after the other (<c>StorageReadAhead = 1</c>: today's read
/// order). Memory: the managed heap after the first search minus before it (full collections), against the raw
/// float32 bytes of the vectors.</summary>
internal static class ActivationBenchmark
{
    public const string Header = "| storage | memories x dim | first search s | sequential pages s (baseline) | ratio | target s | heap MB | raw float32 MB | heap / raw | write s |\n" +
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|";

    public static async Task<string> RunAsync(string name, string storageUri, int count, int dimension, double target)
    {
        var userId = $"bench-activate-{count}x{dimension}-{Guid.NewGuid():N}";
        var query = BenchData.RandomVector(new Random(7), dimension);
        var write = Stopwatch.GetTimestamp();
        await using (var silo = await BenchSilo.StartAsync(storageUri))
        {
            await BenchData.ImportAsync(silo.Grains.GetGrain<IUserGrain>(userId), count, dimension, dimension);
        }

        var writeTime = Stopwatch.GetElapsedTime(write);
        var (sequential, _) = await FirstSearchAsync(storageUri, userId, query, readAhead: 1);
        var (first, heap) = await FirstSearchAsync(storageUri, userId, query, readAhead: 8);
        await using (var silo = await BenchSilo.StartAsync(storageUri))
        {
            await silo.Grains.GetGrain<IUserGrain>(userId).DeleteAllDataAsync();
        }

        var raw = (double)count * dimension * sizeof(float);
        return $"| {name} | {count:N0} x {dimension} | {first.TotalSeconds:F2} | {sequential.TotalSeconds:F2} | {first / sequential:F2}x | {target:F0} | " +
            $"{heap / 1e6:F0} | {raw / 1e6:F0} | {heap / raw:F2}x | {writeTime.TotalSeconds:F0} |";
    }

    private static async Task<(TimeSpan FirstSearch, long Heap)> FirstSearchAsync(string storageUri, string userId, float[] query, int readAhead)
    {
        await using var silo = await BenchSilo.StartAsync(storageUri, o => o.StorageReadAhead = readAhead);
        var user = silo.Grains.GetGrain<IUserGrain>(userId);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var start = Stopwatch.GetTimestamp();
        var found = await user.SearchAsync(query, 10);
        var elapsed = Stopwatch.GetElapsedTime(start);
        if (found.Count != 10)
        {
            throw new InvalidOperationException($"The first search found {found.Count} memories, not 10.");
        }

        var heap = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(user);
        return (elapsed, heap);
    }
}
