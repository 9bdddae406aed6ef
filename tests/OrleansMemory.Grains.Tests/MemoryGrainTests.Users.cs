using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

public abstract partial class MemoryGrainTests
{
    private const int Dim = 8;

    [Fact]
    public async Task Memories_add_search_get_update_archive_delete_list_and_history()
    {
        var user = Grains.GetGrain<IUserGrain>(Key("user"));
        var coffee = await user.AddMemoryAsync("Likes espresso", Vectors.Axis(Dim, 0), MemoryTypes.Preference, 0.7, Metadata.From(("source", "chat")));
        var hiking = await user.AddMemoryAsync("Goes hiking on weekends", Vectors.Axis(Dim, 1), MemoryTypes.Event, 0.4);
        var tea = await user.AddMemoryAsync("Drinks green tea in the evening", Vectors.Near(Dim, 0, 2, 0.6), MemoryTypes.Preference, 0.9);
        Assert.All([coffee, hiking, tea], r => Assert.Equal(AddMemoryOutcome.Added, r.Outcome));

        var results = await user.SearchAsync(Vectors.Axis(Dim, 0).Select(x => x * 5).ToArray(), topK: 2);
        Assert.Equal([coffee.Memory.Id, tea.Memory.Id], results.Select(r => r.Memory.Id));
        Assert.Equal(1.0, results[0].Score, 4);
        Assert.Equal(0.6, results[1].Score, 4);
        Assert.Equal("chat", results[0].Memory.Metadata!["source"].GetString());
        Assert.Single(await user.SearchAsync(Vectors.Axis(Dim, 0), minScore: 0.9));

        var fetched = await user.GetMemoryAsync(hiking.Memory.Id);
        Assert.Equal("Goes hiking on weekends", fetched!.Text);
        Assert.Equal(1f, (await user.GetEmbeddingAsync(hiking.Memory.Id))![1], 5);
        Assert.Null(await user.GetMemoryAsync("missing"));

        var updated = await user.UpdateMemoryAsync(hiking.Memory.Id, new MemoryUpdate("Goes climbing on weekends", Vectors.Axis(Dim, 3), 0.8, Reason: "corrected"));
        Assert.Equal(("Goes climbing on weekends", 0.8), (updated.Text, updated.Importance));
        Assert.Equal(hiking.Memory.Id, (await user.SearchAsync(Vectors.Axis(Dim, 3), topK: 1))[0].Memory.Id);

        var archived = await user.ArchiveMemoryAsync(coffee.Memory.Id, supersededBy: tea.Memory.Id, reason: "switched to tea");
        Assert.True(archived.IsArchived);
        Assert.Equal(tea.Memory.Id, archived.SupersededBy);
        Assert.DoesNotContain(await user.SearchAsync(Vectors.Axis(Dim, 0)), r => r.Memory.Id == coffee.Memory.Id);
        Assert.Contains(await user.SearchAsync(Vectors.Axis(Dim, 0), filter: new MemoryFilter(IncludeArchived: true)), r => r.Memory.Id == coffee.Memory.Id);

        Assert.True(await user.DeleteMemoryAsync(tea.Memory.Id, "user asked"));
        Assert.False(await user.DeleteMemoryAsync(tea.Memory.Id));
        Assert.Null(await user.GetMemoryAsync(tea.Memory.Id));
        Assert.Null(await user.GetEmbeddingAsync(tea.Memory.Id));
        Assert.DoesNotContain(await user.SearchAsync(Vectors.Axis(Dim, 0), filter: new MemoryFilter(IncludeArchived: true)), r => r.Memory.Id == tea.Memory.Id);
        await Assert.ThrowsAsync<MemoryNotFoundException>(() => user.UpdateMemoryAsync(tea.Memory.Id, new MemoryUpdate(Importance: 0.1)));

        var live = await user.ListMemoriesAsync();
        Assert.Equal([hiking.Memory.Id], live.Memories.Select(m => m.Id));
        var withArchived = await user.ListMemoriesAsync(0, 1, includeArchived: true);
        Assert.Equal((2, coffee.Memory.Id), (withArchived.TotalCount, withArchived.Memories.Single().Id));

        Assert.Equal([MemoryEventKind.Added, MemoryEventKind.Archived], (await user.GetHistoryAsync(coffee.Memory.Id)).Select(e => e.Kind));
        Assert.Equal("switched to tea", (await user.GetHistoryAsync(coffee.Memory.Id))[1].Reason);
        Assert.Equal([MemoryEventKind.Added, MemoryEventKind.Updated], (await user.GetHistoryAsync(hiking.Memory.Id)).Select(e => e.Kind));
        Assert.Equal([MemoryEventKind.Added, MemoryEventKind.Deleted], (await user.GetHistoryAsync(tea.Memory.Id)).Select(e => e.Kind));

        var stats = await user.GetStatsAsync();
        Assert.Equal((1, 1, Dim), (stats.MemoryCount, stats.ArchivedCount, stats.EmbeddingDimension));
    }

    [Fact]
    public async Task Search_filters_on_type_importance_time_and_metadata()
    {
        var user = Grains.GetGrain<IUserGrain>(Key("user"));
        var a = await user.AddMemoryAsync("a", Vectors.Near(Dim, 0, 1, 0.1), MemoryTypes.Fact, 0.2, Metadata.From(("topic", "work")));
        var b = await user.AddMemoryAsync("b", Vectors.Near(Dim, 0, 2, 0.3), MemoryTypes.Preference, 0.9, Metadata.From(("topic", "food")));
        var c = await user.AddMemoryAsync("c", Vectors.Near(Dim, 0, 3, 0.5), MemoryTypes.Event, 0.5, Metadata.From(("topic", "work"), ("year", 2026)));
        var q = Vectors.Axis(Dim, 0);
        Assert.Equal([c.Memory.Id, b.Memory.Id, a.Memory.Id], (await user.SearchAsync(q)).Select(r => r.Memory.Id));
        Assert.Equal([b.Memory.Id], (await user.SearchAsync(q, filter: new MemoryFilter(Types: [MemoryTypes.Preference]))).Select(r => r.Memory.Id));
        Assert.Equal([c.Memory.Id, b.Memory.Id], (await user.SearchAsync(q, filter: new MemoryFilter(MinImportance: 0.5))).Select(r => r.Memory.Id));
        Assert.Equal([c.Memory.Id, a.Memory.Id], (await user.SearchAsync(q, filter: new MemoryFilter(Metadata: Metadata.From(("topic", "work"))))).Select(r => r.Memory.Id));
        Assert.Equal([c.Memory.Id], (await user.SearchAsync(q, filter: new MemoryFilter(Metadata: Metadata.From(("year", 2026))))).Select(r => r.Memory.Id));
        Assert.Empty(await user.SearchAsync(q, filter: new MemoryFilter(CreatedBefore: a.Memory.CreatedAt)));
        Assert.Equal(3, (await user.SearchAsync(q, filter: new MemoryFilter(CreatedAfter: a.Memory.CreatedAt))).Count);
        Assert.Equal([c.Memory.Id], (await user.SearchAsync(q, topK: 1)).Select(r => r.Memory.Id));
    }

    [Fact]
    public async Task Inputs_are_validated_at_the_grain_boundary()
    {
        var user = Grains.GetGrain<IUserGrain>(Key("user"));
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.AddMemoryAsync("", Vectors.Axis(Dim, 0)));
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.AddMemoryAsync(new string('x', 100_001), Vectors.Axis(Dim, 0)));
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.AddMemoryAsync("x", Vectors.Axis(Dim, 0), importance: 1.5));
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.AddMemoryAsync("x", Vectors.Axis(Dim, 0), type: ""));
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.AddMemoryAsync("x", new float[Dim]));
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.AddMemoryAsync("x", [1, float.NaN, 0]));
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.AddMemoryAsync("x", [1, float.PositiveInfinity, 0]));
        var noGenerator = await Assert.ThrowsAsync<MemoryValidationException>(() => user.AddMemoryAsync("x"));
        Assert.Contains("IEmbeddingGenerator", noGenerator.Message, StringComparison.Ordinal);

        await user.AddMemoryAsync("first", Vectors.Axis(Dim, 0));
        var wrongDimension = await Assert.ThrowsAsync<MemoryValidationException>(() => user.AddMemoryAsync("second", Vectors.Axis(Dim + 1, 0)));
        Assert.Contains($"dimension {Dim}", wrongDimension.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.SearchAsync(Vectors.Axis(Dim, 0), topK: 0));
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.SearchAsync(Vectors.Axis(Dim, 0), topK: 1001));
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.SearchAsync(Vectors.Axis(Dim, 0), minScore: -0.1));
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.SearchAsync(Vectors.Axis(Dim, 0), minScore: 1.1));
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.SearchAsync(Vectors.Axis(Dim, 0), filter: new MemoryFilter(MinImportance: 2)));
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.SearchAsync(Vectors.Axis(Dim - 1, 0)));
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.GetMemoryAsync(""));
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.SetShortTermCapacityAsync(0));
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.AddShortTermMessagesAsync(new[] {new ShortTermMessage("bot", "hi")}));
        Assert.Single((await user.ListMemoriesAsync()).Memories);
    }

    [Fact]
    public async Task Short_term_memory_is_a_bounded_fifo_per_user()
    {
        var alice = Grains.GetGrain<IUserGrain>(Key("alice"));
        var bob = Grains.GetGrain<IUserGrain>(Key("bob"));
        await alice.AddShortTermMessagesAsync(Enumerable.Range(1, 25).Select(i => new ShortTermMessage(MessageRoles.User, $"a{i}")).ToArray());
        await bob.AddShortTermMessagesAsync(new[] {new ShortTermMessage(MessageRoles.Assistant, "b1")});

        var recent = await alice.GetShortTermMessagesAsync();
        Assert.Equal(20, recent.Count);
        Assert.Equal("a6", recent[0].Content);
        Assert.Equal("a25", recent[^1].Content);
        Assert.Equal(["a24", "a25"], (await alice.GetShortTermMessagesAsync(2)).Select(m => m.Content));
        Assert.Equal(["b1"], (await bob.GetShortTermMessagesAsync()).Select(m => m.Content));

        await alice.SetShortTermCapacityAsync(3);
        Assert.Equal(["a23", "a24", "a25"], (await alice.GetShortTermMessagesAsync()).Select(m => m.Content));
        await alice.AddShortTermMessagesAsync(new[] {new ShortTermMessage(MessageRoles.User, "a26")});
        Assert.Equal(["a24", "a25", "a26"], (await alice.GetShortTermMessagesAsync()).Select(m => m.Content));
        Assert.Equal(3, (await alice.GetStatsAsync()).ShortTermCapacity);

        await alice.ClearShortTermAsync();
        Assert.Empty(await alice.GetShortTermMessagesAsync());
        Assert.Single(await bob.GetShortTermMessagesAsync());
    }

    [Fact]
    public async Task Erasing_a_user_leaves_no_record_in_storage()
    {
        var user = Grains.GetGrain<IUserGrain>(Key("user"));
        for (var i = 0; i < 70; i++)
        {
            await user.AddMemoryAsync($"memory {i}", Vectors.Random(Dim, new Random(i)));
        }

        await user.AddMemoryAsync("I live in London", Vectors.Axis(Dim, 0), importance: 0.5);
        await user.AddMemoryAsync("I don't live in London", Vectors.Near(Dim, 0, 1, 0.9), importance: 0.5);
        await user.AddShortTermMessagesAsync(new[] {new ShortTermMessage(MessageRoles.User, "hello")});
        await user.SetShortTermCapacityAsync(5);
        Assert.Contains("memories/000001", Cluster.Storage.LiveRecords(user.GetGrainId()));

        await user.DeleteAllDataAsync();
        AssertNoRecords(Cluster, user.GetGrainId());
        var again = Grains.GetGrain<IUserGrain>(user.GetPrimaryKeyString());
        var stats = await again.GetStatsAsync();
        Assert.Equal(new UserMemoryStats(0, 0, 0, 0, 0, 0, 0, 20), stats);
        await again.AddMemoryAsync("new life", Vectors.Axis(3, 0));
        Assert.Equal(3, (await again.GetStatsAsync()).EmbeddingDimension);
    }
}
