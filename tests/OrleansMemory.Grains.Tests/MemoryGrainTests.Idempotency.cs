using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>Idempotency keys: a retry with the same key replays the first outcome and stores nothing, also after the
/// activation is gone (the key's record is read back from storage with the change it guarded); the same key with
/// another request is refused.</summary>
public abstract partial class MemoryGrainTests
{
    [Fact]
    public async Task Memory_add_with_a_key_is_stored_once_and_replayed_after_reactivation()
    {
        var user = Grains.GetGrain<IUserGrain>(Key("user"));
        var first = await user.AddMemoryAsync("Has a cat named Tom", Vectors.Axis(Dim, 0), idempotencyKey: "add-1");
        var retry = await user.AddMemoryAsync("Has a cat named Tom", Vectors.Axis(Dim, 0), idempotencyKey: "add-1");
        Assert.Equal((AddMemoryOutcome.Added, first.Memory), (retry.Outcome, retry.Memory));

        await Cluster.DeactivateAsync(user);
        var afterRestart = await user.AddMemoryAsync("Has a cat named Tom", Vectors.Axis(Dim, 0), idempotencyKey: "add-1");
        Assert.Equal((AddMemoryOutcome.Added, first.Memory.Id, 1), (afterRestart.Outcome, afterRestart.Memory.Id, afterRestart.Memory.MentionCount));
        Assert.Equal(1, (await user.ListMemoriesAsync()).TotalCount);
        Assert.Equal([MemoryEventKind.Added], (await user.GetHistoryAsync(first.Memory.Id)).Select(e => e.Kind));

        await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() => user.AddMemoryAsync("Has a cat named Felix", Vectors.Axis(Dim, 1), idempotencyKey: "add-1"));
        await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() => user.AddMemoryAsync("Has a cat named Tom", Vectors.Axis(Dim, 0), importance: 0.9, idempotencyKey: "add-1"));
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.AddMemoryAsync("x", Vectors.Axis(Dim, 2), idempotencyKey: ""));
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.AddMemoryAsync("x", Vectors.Axis(Dim, 2), idempotencyKey: "tab\tkey"));
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.AddMemoryAsync("x", Vectors.Axis(Dim, 2), idempotencyKey: new string('k', 201)));
        Assert.Equal(1, (await user.ListMemoriesAsync()).TotalCount);

        var other = await user.AddMemoryAsync("Has a cat named Tom", Vectors.Axis(Dim, 0), idempotencyKey: "add-2");
        Assert.Equal((AddMemoryOutcome.Duplicate, 2), (other.Outcome, other.Memory.MentionCount)); // another key: a new request
    }

    [Fact]
    public async Task Duplicate_add_with_a_key_counts_one_mention_however_often_it_is_retried()
    {
        var user = Grains.GetGrain<IUserGrain>(Key("user"));
        var first = await user.AddMemoryAsync("Has a dog named Rex", Vectors.Axis(Dim, 0));
        var again = await user.AddMemoryAsync("Has a dog called Rex", Vectors.Near(Dim, 0, 1, 0.97), idempotencyKey: "dup");
        Assert.Equal((AddMemoryOutcome.Duplicate, first.Memory.Id, 2), (again.Outcome, again.DuplicateOf, again.Memory.MentionCount));

        for (var i = 0; i < 3; i++)
        {
            if (i == 1)
            {
                await Cluster.DeactivateAsync(user);
            }

            var retry = await user.AddMemoryAsync("Has a dog called Rex", Vectors.Near(Dim, 0, 1, 0.97), idempotencyKey: "dup");
            Assert.Equal((AddMemoryOutcome.Duplicate, first.Memory.Id, 2), (retry.Outcome, retry.DuplicateOf, retry.Memory.MentionCount));
            Assert.Equal(again.Similarity!.Value, retry.Similarity!.Value, 12);
        }

        Assert.Equal([MemoryEventKind.Added, MemoryEventKind.DuplicateSeen], (await user.GetHistoryAsync(first.Memory.Id)).Select(e => e.Kind));
    }

    [Fact]
    public async Task Import_with_a_key_returns_the_same_ids_and_stores_once()
    {
        var user = Grains.GetGrain<IUserGrain>(Key("user"));
        ImportedMemory[] batch = [new("One", Vectors.Axis(Dim, 0)), new("Two", Vectors.Axis(Dim, 1)), new("Three", Vectors.Axis(Dim, 2))];
        var ids = await user.ImportMemoriesAsync(batch, "import-1");
        Assert.Equal(ids, await user.ImportMemoriesAsync(batch, "import-1"));
        await Cluster.DeactivateAsync(user);
        Assert.Equal(ids, await user.ImportMemoriesAsync(batch, "import-1"));
        Assert.Equal(3, (await user.ListMemoriesAsync()).TotalCount);
        await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() => user.ImportMemoriesAsync(batch[..2], "import-1"));
        Assert.Equal(3, (await user.ListMemoriesAsync()).TotalCount);

        Assert.True(await user.DeleteMemoryAsync(ids[1])); // the key's record goes with its memory: only that one is stored again
        var again = await user.ImportMemoriesAsync(batch, "import-1");
        Assert.Equal((ids[0], ids[2]), (again[0], again[2]));
        Assert.NotEqual(ids[1], again[1]);
        Assert.Equal(3, (await user.ListMemoriesAsync()).TotalCount);
    }

    [Fact]
    public async Task Cache_and_state_writes_with_a_key_are_not_applied_again_by_a_late_retry()
    {
        var cache = Grains.GetGrain<ICacheGrain>(Key("cache"));
        await cache.SetAsync(Json("\"v1\""), TimeSpan.FromHours(1), "put-1");
        await cache.SetAsync(Json("\"v2\""));
        await cache.SetAsync(Json("\"v1\""), TimeSpan.FromHours(1), "put-1"); // a late retry of the first write
        Assert.Equal("v2", (await cache.GetAsync()).Value!.Value.GetString());
        await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() => cache.SetAsync(Json("\"v3\""), TimeSpan.FromHours(1), "put-1"));
        await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() => cache.SetAsync(Json("\"v1\""), TimeSpan.FromHours(2), "put-1"));

        await cache.RemoveAsync("delete-1");
        Assert.False((await cache.GetAsync()).Found);
        await cache.SetAsync(Json("\"v4\""));
        await Cluster.DeactivateAsync(cache);
        await cache.RemoveAsync("delete-1"); // replayed from the stored record: the newer value stays
        await cache.SetAsync(Json("\"v1\""), TimeSpan.FromHours(1), "put-1");
        Assert.Equal("v4", (await cache.GetAsync()).Value!.Value.GetString());

        var state = Grains.GetGrain<ISystemStateGrain>(Key("state"));
        await state.SetAsync(Json("1"), "s-1");
        await state.SetAsync(Json("2"));
        await Cluster.DeactivateAsync(state);
        await state.SetAsync(Json("1"), "s-1");
        Assert.Equal(2, (await state.GetAsync())!.Value.GetInt32());
        await state.DeleteAsync("d-1");
        Assert.Null(await state.GetAsync());
        await state.SetAsync(Json("3"));
        await state.DeleteAsync("d-1");
        Assert.Equal(3, (await state.GetAsync())!.Value.GetInt32());
        await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() => state.SetAsync(Json("4"), "d-1"));
    }

    [Fact]
    public async Task Cache_tombstone_of_a_keyed_delete_goes_when_its_keys_expire()
    {
        var clock = new ManualTimeProvider();
        await using var cluster = await MemoryCluster.StartAsync(Kind, services: clock.Register);
        var cache = cluster.Factory.GetGrain<ICacheGrain>(Key("tomb"));
        await cache.SetAsync(Json("1"), idempotencyKey: "k1");
        await cache.RemoveAsync("k2");
        Assert.Equal(["entry"], cluster.Storage.LiveRecords(cache.GetGrainId())); // the keys' hashes, no value
        Assert.False((await cache.GetStatsAsync()).HasEntry);

        clock.Advance(TimeSpan.FromHours(25));
        await cache.SetAsync(Json("1"), idempotencyKey: "k1"); // outside the window: a new write
        Assert.True((await cache.GetAsync()).Found);
        await cache.RemoveAsync();
        Assert.Equal(["entry"], cluster.Storage.LiveRecords(cache.GetGrainId())); // k1 again within its window

        clock.Advance(TimeSpan.FromHours(25));
        await cluster.DeactivateAsync(cache);
        Assert.False((await cache.GetAsync()).Found); // the activation drops a tombstone whose keys all expired
        AssertNoRecords(cluster, cache.GetGrainId());
    }

    [Fact]
    public async Task Chain_append_with_a_key_is_stored_once()
    {
        var agent = Grains.GetGrain<IAgentGrain>(Key("agent"));
        ReasoningChain chain = new("", [new ReasoningStep(ReasoningStepKind.Thought, "Look it up."), new ReasoningStep(ReasoningStepKind.FinalAnswer, "42")], Goal: "answer");
        Assert.Equal(1, await agent.AppendChainAsync(chain, "chain-1"));
        Assert.Equal(1, await agent.AppendChainAsync(chain, "chain-1"));
        await Cluster.DeactivateAsync(agent);
        Assert.Equal(1, await agent.AppendChainAsync(chain, "chain-1"));
        Assert.Equal(2, await agent.AppendChainAsync(chain, "chain-2"));
        Assert.Equal(3, await agent.AppendChainAsync(chain)); // without a key: appended again
        await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() => agent.AppendChainAsync(chain with { Goal = "other" }, "chain-1"));
        Assert.Equal(3, (await agent.GetStatsAsync()).ChainCount);
    }

    [Fact]
    public async Task Conflict_resolution_with_a_key_answers_a_retry_with_the_resolved_conflict()
    {
        var user = Grains.GetGrain<IUserGrain>(Key("user"));
        await user.AddMemoryAsync("I like coffee in the morning", Vectors.Axis(Dim, 0));
        var dislikes = await user.AddMemoryAsync("I don't like coffee in the morning", Vectors.Near(Dim, 0, 1, 0.88), idempotencyKey: "add-c");
        var conflict = Assert.Single(dislikes.Conflicts);
        Assert.Equal((AddMemoryOutcome.AddedWithConflicts, ConflictStatus.Pending), (dislikes.Outcome, conflict.Status));
        var retried = await user.AddMemoryAsync("I don't like coffee in the morning", Vectors.Near(Dim, 0, 1, 0.88), idempotencyKey: "add-c");
        Assert.Equal((AddMemoryOutcome.AddedWithConflicts, dislikes.Memory.Id, conflict), (retried.Outcome, retried.Memory.Id, Assert.Single(retried.Conflicts)));

        var resolved = await user.ResolveConflictAsync(conflict.Id, new ConflictResolution(ConflictResolutionKind.KeepB), "resolve-1");
        await Cluster.DeactivateAsync(user);
        Assert.Equal(resolved, await user.ResolveConflictAsync(conflict.Id, new ConflictResolution(ConflictResolutionKind.KeepB), "resolve-1"));
        await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() =>
            user.ResolveConflictAsync(conflict.Id, new ConflictResolution(ConflictResolutionKind.KeepA), "resolve-1"));
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.ResolveConflictAsync(conflict.Id, new ConflictResolution(ConflictResolutionKind.KeepB)));
    }
}
