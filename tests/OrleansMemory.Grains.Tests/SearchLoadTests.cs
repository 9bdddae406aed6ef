using Microsoft.Extensions.DependencyInjection;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>Searches first (<see cref="SearchLoad"/>, <see cref="SearchesFirstCallFilter"/>), on a real cluster: calls to
/// memory grains other than searches wait their turn only while more searches are in flight than the silo has cores,
/// and the count of searches in flight returns to zero.</summary>
public sealed class SearchLoadTests
{
    private const int Dimension = 8;

    [Fact]
    public async Task Writes_yield_only_while_searches_queue_and_searches_never_yield()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.Memory);
        var loads = Loads(cluster);
        var user = cluster.Factory.GetGrain<IUserGrain>("search-load-" + Guid.NewGuid().ToString("N"));
        await user.AddMemoryAsync("quiet silo", Vectors.Axis(Dimension, 0));
        Assert.Equal(0, Yields(loads)); // no searches in flight: nothing waits

        foreach (var load in loads)
        {
            for (var i = 0; i <= Environment.ProcessorCount; i++)
            {
                load.Enter(); // as if more searches than cores were queued on every silo
            }
        }

        Assert.All(loads, load => Assert.True(load.Busy));
        await user.AddMemoryAsync("busy silo", Vectors.Axis(Dimension, 1));
        Assert.Equal(1, Yields(loads)); // the add waited once, behind the queued searches
        await user.GetStatsAsync();
        Assert.Equal(2, Yields(loads)); // so does a plain read: first come, first served
        var found = await user.SearchAsync(Vectors.Axis(Dimension, 1), 1);
        Assert.Equal("busy silo", Assert.Single(found).Memory.Text);
        Assert.Equal(2, Yields(loads)); // searches go straight in

        foreach (var load in loads)
        {
            for (var i = 0; i <= Environment.ProcessorCount; i++)
            {
                load.Exit();
            }
        }

        await user.AddMemoryAsync("quiet again", Vectors.Axis(Dimension, 2));
        Assert.Equal(2, Yields(loads));
    }

    [Fact]
    public async Task Searches_on_the_thread_pool_are_counted_out_again()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.Memory);
        var loads = Loads(cluster);
        var user = cluster.Factory.GetGrain<IUserGrain>("search-load-" + Guid.NewGuid().ToString("N"));
        var random = new Random(7);
        await user.ImportMemoriesAsync([.. Enumerable.Range(0, 2100).Select(i => new ImportedMemory($"memory {i}", Vectors.Random(Dimension, random)))]);

        // Large enough that searches run on the thread pool; some fail validation inside the search.
        var searches = Enumerable.Range(0, 64).Select(i => i % 8 == 0
            ? (Task)Assert.ThrowsAsync<MemoryValidationException>(() => user.SearchAsync(Vectors.Random(Dimension, random), topK: 0))
            : user.SearchAsync(Vectors.Random(Dimension, random), 5));
        await Task.WhenAll(searches);
        Assert.All(loads, load => Assert.Equal(0, load.InFlight));
    }

    [Fact]
    public async Task Writes_do_not_yield_when_the_option_is_off()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.Memory, configure: o => o.WritesYieldToSearches = false);
        var loads = Loads(cluster);
        foreach (var load in loads)
        {
            for (var i = 0; i <= Environment.ProcessorCount; i++)
            {
                load.Enter();
            }
        }

        var user = cluster.Factory.GetGrain<IUserGrain>("search-load-" + Guid.NewGuid().ToString("N"));
        await user.AddMemoryAsync("writes first", Vectors.Axis(Dimension, 0));
        Assert.Equal(0, Yields(loads));
    }

    private static SearchLoad[] Loads(MemoryCluster cluster) =>
        [.. cluster.Cluster.Silos.Select(silo => silo.ServiceProvider.GetRequiredService<SearchLoad>())];

    private static long Yields(SearchLoad[] loads) => loads.Sum(load => load.Yields);
}
