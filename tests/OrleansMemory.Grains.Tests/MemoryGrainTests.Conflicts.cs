using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

public abstract partial class MemoryGrainTests
{
    [Fact]
    public async Task Duplicate_grows_the_existing_memory_instead_of_adding()
    {
        var user = Grains.GetGrain<IUserGrain>(Key("user"));
        var first = await user.AddMemoryAsync("Has a dog named Rex", Vectors.Axis(Dim, 0));
        var again = await user.AddMemoryAsync("Has a dog called Rex", Vectors.Near(Dim, 0, 1, 0.97));
        Assert.Equal(AddMemoryOutcome.Duplicate, again.Outcome);
        Assert.Equal(first.Memory.Id, again.DuplicateOf);
        Assert.Equal(0.97, again.Similarity!.Value, 3);
        Assert.Equal(2, again.Memory.MentionCount);
        Assert.True(again.Memory.LastSeenAt >= first.Memory.LastSeenAt);
        Assert.Equal(1, (await user.ListMemoriesAsync()).TotalCount);
        Assert.Equal([MemoryEventKind.Added, MemoryEventKind.DuplicateSeen], (await user.GetHistoryAsync(first.Memory.Id)).Select(e => e.Kind));
        Assert.Empty(await user.GetConflictsAsync());
    }

    [Fact]
    public async Task Singleton_conflict_with_a_newer_memory_is_auto_resolved()
    {
        var user = Grains.GetGrain<IUserGrain>(Key("user"));
        var london = await user.AddMemoryAsync("I live in London", Vectors.Axis(Dim, 0), importance: 0.6);
        var paris = await user.AddMemoryAsync("I live in Paris now", Vectors.Near(Dim, 0, 1, 0.9), importance: 0.6);

        Assert.Equal(AddMemoryOutcome.Superseded, paris.Outcome);
        var conflict = Assert.Single(paris.Conflicts);
        Assert.Equal(("location", true, ConflictStatus.AutoResolved), (conflict.Category, conflict.IsSingletonCategory, conflict.Status));
        Assert.Equal((london.Memory.Id, paris.Memory.Id), (conflict.MemoryAId, conflict.MemoryBId));
        Assert.Equal(0.9, conflict.Similarity, 3);
        Assert.Equal(0.6, conflict.AverageImportance, 6);
        Assert.Contains("London", conflict.Explanation, StringComparison.Ordinal);
        Assert.Contains("Paris", conflict.ClarificationHint, StringComparison.Ordinal);
        Assert.Equal(user.GetPrimaryKeyString(), conflict.UserId);

        var old = await user.GetMemoryAsync(london.Memory.Id);
        Assert.True(old!.IsArchived);
        Assert.Equal(paris.Memory.Id, old.SupersededBy);
        Assert.Equal([paris.Memory.Id], (await user.SearchAsync(Vectors.Axis(Dim, 0))).Select(r => r.Memory.Id));
        Assert.Empty(await user.GetPendingConflictsAsync());
        Assert.Equal(
            [MemoryEventKind.Added, MemoryEventKind.ConflictDetected, MemoryEventKind.Archived, MemoryEventKind.ConflictResolved],
            (await user.GetHistoryAsync(london.Memory.Id)).Select(e => e.Kind));
    }

    [Fact]
    public async Task A_new_memory_opens_at_most_two_pending_conflicts_and_none_with_a_memory_already_disputed()
    {
        var user = Grains.GetGrain<IUserGrain>(Key("user"));
        // Four statements about coffee, each near the axis the contradiction lies on (most similar first: 0.9, 0.88, ...).
        var liked = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var added = await user.AddMemoryAsync($"I like coffee number {i}", Vectors.Near(Dim, 0, i + 1, 0.9 - (0.02 * i)), importance: 0.5);
            liked.Add(added.Memory.Id);
        }

        Assert.Empty(await user.GetPendingConflictsAsync());
        var negated = await user.AddMemoryAsync("I don't like coffee number", Vectors.Axis(Dim, 0), importance: 0.5);
        Assert.Equal(AddMemoryOutcome.AddedWithConflicts, negated.Outcome);
        Assert.Equal([liked[0], liked[1]], negated.Conflicts.Select(c => c.MemoryAId)); // the two most similar
        Assert.Equal(2, (await user.GetPendingConflictsAsync()).Count);

        // The same contradiction again, worded apart: the disputed memories get no second conflict; the other two do.
        var again = await user.AddMemoryAsync("coffee is something I dislike", Vectors.Near(Dim, 0, 6, 0.99), importance: 0.5);
        Assert.DoesNotContain(again.Conflicts, c => c.MemoryAId == liked[0] || c.MemoryAId == liked[1]);
        Assert.Equal([liked[2], liked[3]], again.Conflicts.Where(c => c.MemoryAId != negated.Memory.Id).Select(c => c.MemoryAId));

        // Once its conflict is resolved (both kept), the first memory is disputed no more and may be in a new one.
        await user.ResolveConflictAsync(negated.Conflicts[0].Id, new ConflictResolution(ConflictResolutionKind.KeepBoth));
        var third = await user.AddMemoryAsync("I don't like coffee number 0 anymore", Vectors.Near(Dim, 0, 1, 0.9), importance: 0.5); // liked[0]'s vector
        Assert.Contains(third.Conflicts, c => c.MemoryAId == liked[0]);

        // After a reactivation the pending ones are known again from the stored conflicts: liked[2], still disputed, gets no second conflict.
        await Cluster.DeactivateAsync(user);
        var fourth = await user.AddMemoryAsync("I don't like coffee number 2 anymore", Vectors.Near(Dim, 0, 3, 0.86), importance: 0.5); // liked[2]'s vector
        Assert.DoesNotContain(fourth.Conflicts, c => c.MemoryAId == liked[2]);
    }

    [Fact]
    public async Task Singleton_conflict_with_a_less_important_newer_memory_stays_pending()
    {
        var user = Grains.GetGrain<IUserGrain>(Key("user"));
        await user.AddMemoryAsync("I work at Contoso", Vectors.Axis(Dim, 0), importance: 0.9);
        var result = await user.AddMemoryAsync("I work at Fabrikam", Vectors.Near(Dim, 0, 1, 0.85), importance: 0.3);
        Assert.Equal(AddMemoryOutcome.AddedWithConflicts, result.Outcome);
        Assert.Equal(("job", ConflictStatus.Pending), (result.Conflicts[0].Category, result.Conflicts[0].Status));
    }

    [Fact]
    public async Task Pending_conflict_resolved_keep_B_archives_A()
    {
        var user = Grains.GetGrain<IUserGrain>(Key("user"));
        var likes = await user.AddMemoryAsync("I like coffee in the morning", Vectors.Axis(Dim, 0));
        var dislikes = await user.AddMemoryAsync("I don't like coffee in the morning", Vectors.Near(Dim, 0, 1, 0.88));
        Assert.Equal(AddMemoryOutcome.AddedWithConflicts, dislikes.Outcome);
        var pending = Assert.Single(await user.GetPendingConflictsAsync());
        Assert.Equal(("negation", false), (pending.Category, pending.IsSingletonCategory));
        Assert.False((await user.GetMemoryAsync(likes.Memory.Id))!.IsArchived);

        var resolved = await user.ResolveConflictAsync(pending.Id, new ConflictResolution(ConflictResolutionKind.KeepB, Reason: "user confirmed"));
        Assert.Equal((ConflictStatus.Resolved, ConflictResolutionKind.KeepB), (resolved.Status, resolved.Resolution));
        Assert.NotNull(resolved.ResolvedAt);
        var loser = await user.GetMemoryAsync(likes.Memory.Id);
        Assert.True(loser!.IsArchived);
        Assert.Equal(dislikes.Memory.Id, loser.SupersededBy);
        Assert.Empty(await user.GetPendingConflictsAsync());
        Assert.Equal(MemoryEventKind.ConflictResolved, (await user.GetHistoryAsync(dislikes.Memory.Id))[^1].Kind);
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.ResolveConflictAsync(pending.Id, new ConflictResolution(ConflictResolutionKind.KeepA)));
        await Assert.ThrowsAsync<MemoryNotFoundException>(() => user.ResolveConflictAsync("nope", new ConflictResolution(ConflictResolutionKind.KeepA)));
    }

    [Fact]
    public async Task Conflict_merge_replaces_both_and_manual_escalation()
    {
        var user = Grains.GetGrain<IUserGrain>(Key("user"));
        var a = await user.AddMemoryAsync("My meeting is on 2026-05-01", Vectors.Axis(Dim, 0));
        var b = await user.AddMemoryAsync("My meeting is on 2026-05-03", Vectors.Near(Dim, 0, 1, 0.9));
        var conflict = Assert.Single(b.Conflicts);
        Assert.Equal("date", conflict.Category);

        var escalated = await user.EscalateConflictAsync(conflict.Id, "ask a human");
        Assert.Equal(ConflictStatus.Escalated, escalated.Status);
        Assert.Single(await user.GetConflictsAsync(ConflictStatus.Escalated));

        await user.ResolveConflictAsync(conflict.Id, new ConflictResolution(ConflictResolutionKind.Merge, "My meeting moved from May 1 to May 3, 2026"));
        var live = (await user.ListMemoriesAsync()).Memories;
        var merged = Assert.Single(live);
        Assert.Equal("My meeting moved from May 1 to May 3, 2026", merged.Text);
        Assert.Equal(merged.Id, (await user.GetMemoryAsync(a.Memory.Id))!.SupersededBy);
        Assert.Equal(merged.Id, (await user.GetMemoryAsync(b.Memory.Id))!.SupersededBy);
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.EscalateConflictAsync(conflict.Id));
    }

    [Fact]
    public async Task Deleting_a_memory_closes_its_conflicts_and_scrubs_its_words()
    {
        var user = Grains.GetGrain<IUserGrain>(Key("user"));
        var secret = await user.AddMemoryAsync("I am not seeing Dr Smith", Vectors.Axis(Dim, 0));
        var other = await user.AddMemoryAsync("I am seeing Dr Smith", Vectors.Near(Dim, 0, 1, 0.9));
        var conflict = Assert.Single(other.Conflicts);
        Assert.Contains("Smith", conflict.ClarificationHint, StringComparison.Ordinal);

        Assert.True(await user.DeleteMemoryAsync(secret.Memory.Id));
        var closed = Assert.Single(await user.GetConflictsAsync());
        Assert.Equal((ConflictStatus.Resolved, ConflictResolutionKind.KeepB), (closed.Status, closed.Resolution));
        Assert.Empty(closed.ClarificationHint);
        Assert.DoesNotContain("Smith", closed.Explanation, StringComparison.Ordinal);
        Assert.Equal(MemoryEventKind.ConflictResolved, (await user.GetHistoryAsync(other.Memory.Id))[^1].Kind);
    }

    [Fact]
    public async Task Pending_conflicts_escalate_by_age()
    {
        var clock = new ManualTimeProvider();
        await using var cluster = await MemoryCluster.StartAsync(Kind,
            configure: o =>
            {
                o.ConflictEscalationAge = TimeSpan.FromHours(1);
                o.EscalationCheckPeriod = TimeSpan.FromMilliseconds(50);
            },
            services: clock.Register);
        var user = cluster.Factory.GetGrain<IUserGrain>(Key("user"));
        await user.AddMemoryAsync("I have 2 cats", Vectors.Axis(Dim, 0));
        var added = await user.AddMemoryAsync("I have 3 cats", Vectors.Near(Dim, 0, 1, 0.9));
        var conflict = Assert.Single(added.Conflicts);
        Assert.Equal(("number", ConflictStatus.Pending), (conflict.Category, conflict.Status));

        await Task.Delay(200); // several timer ticks: the conflict is younger than the age, so it stays pending
        Assert.Single(await user.GetPendingConflictsAsync());

        clock.Advance(TimeSpan.FromHours(2));
        var escalated = await WaitForAsync(() => user.GetConflictsAsync(ConflictStatus.Escalated), list => list.Count == 1);
        Assert.Equal(clock.GetUtcNow(), escalated[0].EscalatedAt);
        Assert.Empty(await user.GetPendingConflictsAsync());
        Assert.Equal(MemoryEventKind.ConflictEscalated, (await user.GetHistoryAsync(conflict.MemoryAId))[^1].Kind);
    }

    /// <summary>Polls until the condition holds (timer-driven behaviour); fails after 10 s.</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 10 s.");
            await Task.Delay(20);
        }
    }
}
