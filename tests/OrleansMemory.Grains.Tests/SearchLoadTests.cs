using Microsoft.Extensions.DependencyInjection;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>Searches first (<see cref="SearchLoad"/>, <see cref="SearchesFirstCallFilter"/>), on a real cluster: calls to
/// memory grains other than searches wait for the searches in flight when they arrive (at most a second), searches
/// never wait, and every search on the thread pool is counted in and out.</summary>
public sealed class SearchLoadTests
{
    private const int Dimension = 8;

    [Fact]
    public async Task Writes_wait_for_the_searches_in_flight_and_searches_never_wait()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.Memory);
        var loads = Loads(cluster);
        var user = cluster.Factory.GetGrain<IUserGrain>("search-load-" + Guid.NewGuid().ToString("N"));
        await user.AddMemoryAsync("quiet silo", Vectors.Axis(Dimension, 0));
        Assert.Equal(0, Waits(loads)); // no searches in flight: nothing waits

        foreach (var load in loads)
        {
            load.Enter(); // as if a search were in flight on every silo
        }

        var add = user.AddMemoryAsync("busy silo", Vectors.Axis(Dimension, 1));
        await Task.Delay(200);
        Assert.False(add.IsCompleted); // waiting for the search in flight when it arrived
        var found = await user.SearchAsync(Vectors.Axis(Dimension, 0), 1);
        Assert.Equal("quiet silo", Assert.Single(found).Memory.Text); // searches go straight in, even past a waiting write
        foreach (var load in loads)
        {
            load.Exit();
        }

        Assert.Equal(AddMemoryOutcome.Added, (await add.WaitAsync(TimeSpan.FromSeconds(0.5))).Outcome); // released by the search's end, not by the 1 s safeguard
        Assert.Equal(1, Waits(loads));
        await user.AddMemoryAsync("quiet again", Vectors.Axis(Dimension, 2));
        Assert.Equal(1, Waits(loads));
    }

    [Fact]
    public async Task A_search_that_never_ends_holds_a_write_back_for_at_most_a_second()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.Memory);
        var loads = Loads(cluster);
        foreach (var load in loads)
        {
            load.Enter();
        }

        var user = cluster.Factory.GetGrain<IUserGrain>("search-load-" + Guid.NewGuid().ToString("N"));
        var started = System.Diagnostics.Stopwatch.StartNew();
        await user.AddMemoryAsync("late but written", Vectors.Axis(Dimension, 0));
        Assert.InRange(started.Elapsed, SearchLoad.MaxWait * 0.9, SearchLoad.MaxWait * 10);
        Assert.Equal("late but written", (await user.ListMemoriesAsync()).Memories.Single().Text);
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
        var before = loads.Sum(load => load.Started);
        await Task.WhenAll(searches);
        Assert.Equal(64, loads.Sum(load => load.Started) - before); // every search on the pool was counted in...
        Assert.All(loads, load => Assert.Equal(0, load.InFlight)); // ...and out, the failed ones too
    }

    [Fact]
    public async Task Writes_do_not_yield_when_the_option_is_off()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.Memory, configure: o => o.WritesYieldToSearches = false);
        var loads = Loads(cluster);
        foreach (var load in loads)
        {
            load.Enter();
        }

        var user = cluster.Factory.GetGrain<IUserGrain>("search-load-" + Guid.NewGuid().ToString("N"));
        await user.AddMemoryAsync("writes first", Vectors.Axis(Dimension, 0)).WaitAsync(TimeSpan.FromSeconds(0.5));
        Assert.Equal(0, Waits(loads));
    }

    private static SearchLoad[] Loads(MemoryCluster cluster) =>
        [.. cluster.Cluster.Silos.Select(silo => silo.ServiceProvider.GetRequiredService<SearchLoad>())];

    private static long Waits(SearchLoad[] loads) => loads.Sum(load => load.Waits);
}
