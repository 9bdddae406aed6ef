using System.Diagnostics;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Benchmarks;

/// <summary>Adding one memory (with its duplicate and conflict scan) to a user holding 100 memories versus one holding
/// N, on the same storage in the same run: paging keeps the write to the tail page and the head, the int8 index keeps
/// the scan short.</summary>
internal static class WriteBenchmark
{
    public const string Header = "| storage | operation | p50 at 100 ms | p50 at N ms | N | ratio | p99 at 100 ms | p99 at N ms | samples |\n" +
        "|---|---|---:|---:|---:|---:|---:|---:|---:|";

    public static async Task<string> RunAsync(IGrainFactory grains, string storage, int count, int dimension, int samples)
    {
        var small = grains.GetGrain<IUserGrain>($"bench-write-100-{Guid.NewGuid():N}");
        var large = grains.GetGrain<IUserGrain>($"bench-write-{count}-{Guid.NewGuid():N}");
        await BenchData.ImportAsync(small, 100, dimension, 1);
        await BenchData.ImportAsync(large, count, dimension, 2);
        var random = new Random(3);
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

        await small.DeleteAllDataAsync();
        await large.DeleteAllDataAsync();
        return $"| {storage} | add memory ({dimension} dims) | {atSmall.P(50):F3} | {atLarge.P(50):F3} | {count:N0} | {atLarge.P(50) / atSmall.P(50):F2}x | " +
            $"{atSmall.P(99):F3} | {atLarge.P(99):F3} | {samples} each |";
    }
}
