using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

public abstract partial class MemoryGrainTests
{
    [Fact]
    public async Task Cache_counts_hits_and_misses_and_deletes_expired_entries_from_storage()
    {
        var clock = new ManualTimeProvider();
        await using var cluster = await MemoryCluster.StartAsync(Kind, services: clock.Register);
        var cache = cluster.Factory.GetGrain<ICacheGrain>(Key("prompt-hash"));
        Assert.False((await cache.GetAsync()).Found);

        await cache.SetAsync(Json("""{"completion":"Paris"}"""), TimeSpan.FromMinutes(10));
        var hit = await cache.GetAsync();
        Assert.True(hit.Found);
        Assert.Equal("Paris", hit.Value!.Value.GetProperty("completion").GetString());
        Assert.Equal(clock.GetUtcNow().AddMinutes(10), hit.ExpiresAt);
        Assert.Equal(["entry"], cluster.Storage.LiveRecords(cache.GetGrainId()));

        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.False((await cache.GetAsync()).Found);
        AssertNoRecords(cluster, cache.GetGrainId());
        Assert.Equal(new CacheStats(1, 2, false, null), await cache.GetStatsAsync());

        await cache.SetAsync(Json("42"));
        clock.Advance(TimeSpan.FromDays(365));
        Assert.True((await cache.GetAsync()).Found);
        await cache.RemoveAsync();
        AssertNoRecords(cluster, cache.GetGrainId());
        await Assert.ThrowsAsync<MemoryValidationException>(() => cache.SetAsync(Json("1"), TimeSpan.Zero));
    }

    [Fact]
    public async Task Cache_entry_expires_by_timer_while_active()
    {
        var cache = Grains.GetGrain<ICacheGrain>(Key("short"));
        await cache.SetAsync(Json("\"soon gone\""), TimeSpan.FromMilliseconds(100));
        await WaitForAsync(() => Task.FromResult(Cluster.Storage.LiveRecords(cache.GetGrainId())), records => records.Count == 0);
        AssertNoRecords(Cluster, cache.GetGrainId());
        Assert.False((await cache.GetAsync()).Found);
    }

    [Fact]
    public async Task System_state_stores_loads_and_deletes()
    {
        var state = Grains.GetGrain<ISystemStateGrain>(Key("config"));
        Assert.Null(await state.GetAsync());
        await state.SetAsync(Json("""{"model":"gpt","retries":3}"""));
        Assert.Equal(3, (await state.GetAsync())!.Value.GetProperty("retries").GetInt32());
        await state.DeleteAsync();
        Assert.Null(await state.GetAsync());
        AssertNoRecords(Cluster, state.GetGrainId());
    }

    [Fact]
    public async Task Conversation_directory_lists_touched_conversations()
    {
        var directory = Grains.GetGrain<IConversationDirectoryGrain>(Key("tenant"));
        await directory.TouchAsync("c1");
        await directory.TouchAsync("c2");
        await directory.TouchAsync("c1");
        await directory.TouchAsync("c3");
        await directory.RemoveAsync("c2");
        Assert.Equal(["c1", "c3"], (await directory.ListAsync()).Select(e => e.ConversationId));
        Assert.Equal(["c3"], (await directory.ListAsync(1, 10)).Select(e => e.ConversationId));
        Assert.Equal(2, await directory.CountAsync());
        var c1 = (await directory.ListAsync())[0];
        Assert.True(c1.UpdatedAt >= c1.CreatedAt);
    }
}
