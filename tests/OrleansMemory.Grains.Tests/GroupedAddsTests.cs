using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>A group of adds (<see cref="IUserAddsGrain"/>) on real file storage: each add is served as a call of its own
/// would be, in order, and the group is stored with one write per changed record; a failed write stores nothing that
/// refers to what was lost, and the user then reads what storage holds.</summary>
public sealed class GroupedAddsTests
{
    private const int Dim = 8;

    private static AddMemoryCall Call(string text, float[] vector, string? key = null, double importance = 0.5) =>
        new(text, vector, MemoryTypes.Fact, importance, null, key);

    [Fact]
    public async Task Each_add_of_a_group_is_served_in_order_and_the_group_is_stored_by_one_write_per_record()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.File);
        var key = "grouped-" + Guid.NewGuid().ToString("N");
        var user = cluster.Factory.GetGrain<IUserGrain>(key);
        var dog = await user.AddMemoryAsync("I have a dog named Rex", Vectors.Axis(Dim, 0));
        var id = user.GetGrainId();
        var (pageWrites, historyWrites) = (cluster.Storage.WritesOf(id, "memories/000000"), cluster.Storage.WritesOf(id, "history/000000"));

        var attempts = await cluster.Factory.GetGrain<IUserAddsGrain>(key).AddMemoriesAsync([
            Call("I play the violin", Vectors.Axis(Dim, 1)),
            Call("", Vectors.Axis(Dim, 2)), // invalid: fails alone
            Call("I work as a nurse", Vectors.Axis(Dim, 3), "key-1"),
            Call("I have a dog called Rex", Vectors.Near(Dim, 0, 1, 0.97)), // a duplicate of the stored memory
            Call("I play the violin", Vectors.Axis(Dim, 1)), // a duplicate of the group's first add
            Call("I work as a nurse", Vectors.Axis(Dim, 3), "key-1"), // a retry of the third, within the group
            Call("I work as a teacher", Vectors.Axis(Dim, 4), "key-1"), // the key reused for another add: fails alone
        ]);

        Assert.Equal(7, attempts.Count);
        var violin = attempts[0].Result!;
        Assert.Equal(AddMemoryOutcome.Added, violin.Outcome);
        Assert.IsType<MemoryValidationException>(attempts[1].Error);
        Assert.Null(attempts[1].Result);
        var nurse = attempts[2].Result!;
        Assert.Equal(AddMemoryOutcome.Added, nurse.Outcome);
        Assert.Equal((AddMemoryOutcome.Duplicate, dog.Memory.Id), (attempts[3].Result!.Outcome, attempts[3].Result!.DuplicateOf));
        Assert.Equal((AddMemoryOutcome.Duplicate, violin.Memory.Id), (attempts[4].Result!.Outcome, attempts[4].Result!.DuplicateOf));
        Assert.Equal(nurse.Memory.Id, attempts[5].Result!.Memory.Id);
        Assert.IsType<IdempotencyKeyReusedException>(attempts[6].Error);

        Assert.Equal(pageWrites + 1, cluster.Storage.WritesOf(id, "memories/000000"));
        Assert.Equal(historyWrites + 1, cluster.Storage.WritesOf(id, "history/000000"));

        await cluster.DeactivateAsync(user);
        var stored = (await user.ListMemoriesAsync()).Memories.ToDictionary(m => m.Text, m => m.MentionCount);
        Assert.Equal(new Dictionary<string, int> { ["I have a dog named Rex"] = 2, ["I play the violin"] = 2, ["I work as a nurse"] = 1 }, stored);
        Assert.Equal([MemoryEventKind.Added, MemoryEventKind.DuplicateSeen], (await user.GetHistoryAsync(violin.Memory.Id)).Select(e => e.Kind));
        Assert.Equal(nurse.Memory.Id, (await user.AddMemoryAsync("I work as a nurse", Vectors.Axis(Dim, 3), idempotencyKey: "key-1")).Memory.Id);
    }

    [Fact]
    public async Task A_failed_write_stores_no_conflict_about_a_lost_memory_and_the_user_reads_what_was_stored()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.File);
        var key = "grouped-" + Guid.NewGuid().ToString("N");
        var user = cluster.Factory.GetGrain<IUserGrain>(key);
        var adds = cluster.Factory.GetGrain<IUserAddsGrain>(key);
        var london = await user.AddMemoryAsync("I live in London", Vectors.Axis(Dim, 0), importance: 0.6);
        var id = user.GetGrainId();
        var conflictWrites = cluster.Storage.WritesOf(id, "conflicts/000000");

        // "Paris" supersedes "London": the new memory is written before the conflict and the archived memory that name
        // it, so when its write fails neither is stored.
        cluster.Storage.FailNextWriteOf(id, "memories/000000");
        await Assert.ThrowsAnyAsync<Exception>(() => adds.AddMemoriesAsync([
            Call("I play the violin", Vectors.Axis(Dim, 1)),
            Call("I live in Paris now", Vectors.Near(Dim, 0, 2, 0.9), importance: 0.6),
        ]));
        Assert.Equal(conflictWrites, cluster.Storage.WritesOf(id, "conflicts/000000"));
        var afterFailure = await user.ListMemoriesAsync(includeArchived: true);
        Assert.Equal([london.Memory.Id], afterFailure.Memories.Select(m => m.Id));
        Assert.False(afterFailure.Memories[0].IsArchived);
        Assert.Empty(await user.GetConflictsAsync());

        var retried = await adds.AddMemoriesAsync([
            Call("I play the violin", Vectors.Axis(Dim, 1)),
            Call("I live in Paris now", Vectors.Near(Dim, 0, 2, 0.9), importance: 0.6),
        ]);
        Assert.All(retried, a => Assert.Null(a.Error));
        Assert.Equal(AddMemoryOutcome.Superseded, retried[1].Result!.Outcome);
        await cluster.DeactivateAsync(user);
        Assert.Equal(retried[1].Result!.Memory.Id, (await user.GetMemoryAsync(london.Memory.Id))!.SupersededBy);
        Assert.Equal(ConflictStatus.AutoResolved, Assert.Single(await user.GetConflictsAsync()).Status);
        Assert.Equal(["I play the violin", "I live in Paris now"], (await user.ListMemoriesAsync()).Memories.Select(m => m.Text));
    }
}
