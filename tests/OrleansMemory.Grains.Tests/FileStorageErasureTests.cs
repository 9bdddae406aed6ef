using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>Erasure with the file provider, whose <c>.backups</c> keep earlier versions of records (log pages aside).</summary>
public sealed class FileStorageErasureTests(FileClusterFixture fixture) : IClassFixture<FileClusterFixture>
{
    [Fact]
    public async Task Erasing_a_user_leaves_no_backup_of_its_records_either()
    {
        var marker = Guid.NewGuid().ToString("N");
        var user = fixture.Cluster.Factory.GetGrain<IUserGrain>($"erased-{marker}");
        await user.AddMemoryAsync($"I live in London {marker}", Vectors.Axis(4, 0));
        await user.UpdateMemoryAsync((await user.ListMemoriesAsync()).Memories[0].Id, new MemoryUpdate(Text: $"I live in Leeds {marker}"));
        await user.AddMemoryAsync($"I like tea {marker}", Vectors.Axis(4, 1));
        var root = fixture.Cluster.Directory!;
        List<string> Holding() => [.. System.IO.Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains(marker, StringComparison.Ordinal))];
        // Memory pages are rewritten by every add: they keep no backups (each would repeat the page up to MaxBackups times).
        Assert.DoesNotContain(Holding(), f => f.Contains(".backups", StringComparison.Ordinal));

        await user.DeleteAllDataAsync();

        var holding = Holding();
        Assert.True(holding.Count == 0, $"the erased user's text is still in: {string.Join(", ", holding)}");

        var folder = Path.GetDirectoryName(fixture.Cluster.FilePath(user.GetGrainId(), "profile"))!;
        var left = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories) : [];
        Assert.True(left.Length == 0, $"files left in {folder}: {string.Join(", ", left.Select(Path.GetFileName))}");
    }

    [Fact]
    public async Task Deleting_a_memory_leaves_its_text_nowhere_not_in_backups_conflicts_or_history()
    {
        var marker = Guid.NewGuid().ToString("N");
        var user = fixture.Cluster.Factory.GetGrain<IUserGrain>($"forget-{Guid.NewGuid():N}");
        var kept = await user.AddMemoryAsync("I live in Paris", [1, 0, 0]);
        var secret = await user.AddMemoryAsync($"I live in Rome {marker}", [0.9f, 0.3f, 0]);
        await user.UpdateMemoryAsync(secret.Memory.Id, new MemoryUpdate(Importance: 0.9, Reason: $"because {marker}"));
        Assert.NotEmpty(Holding(marker));

        Assert.True(await user.DeleteMemoryAsync(secret.Memory.Id));

        var holding = Holding(marker);
        Assert.True(holding.Count == 0, $"the deleted memory's text is still in: {string.Join(", ", holding)}");
        Assert.NotNull(await user.GetMemoryAsync(kept.Memory.Id));
        Assert.Contains(await user.GetHistoryAsync(secret.Memory.Id), e => e.Kind == MemoryEventKind.Deleted);
    }

    [Fact]
    public async Task Deleting_a_conversation_agent_cache_entry_or_state_leaves_no_copy_on_disk()
    {
        var marker = Guid.NewGuid().ToString("N");
        var value = System.Text.Json.JsonSerializer.SerializeToElement(new { secret = marker });
        var conversation = fixture.Cluster.Factory.GetGrain<IConversationGrain>($"c-{marker}");
        await conversation.StoreDocumentAsync(value);
        await conversation.StoreDocumentAsync(System.Text.Json.JsonSerializer.SerializeToElement(new { secret = marker + "-v2" }));
        await conversation.AppendMessagesAsync([new RawMessage("", "user", $"my secret is {marker}")]);
        await conversation.AppendMessagesAsync([new RawMessage("", "user", "and more")]);
        var agent = fixture.Cluster.Factory.GetGrain<IAgentGrain>($"a-{marker}");
        await agent.AppendChainAsync(new ReasoningChain("", [new ReasoningStep(ReasoningStepKind.Thought, $"thinking {marker}")]));
        await agent.AppendChainAsync(new ReasoningChain("", [new ReasoningStep(ReasoningStepKind.Thought, "more")]));
        var cache = fixture.Cluster.Factory.GetGrain<ICacheGrain>($"k-{marker}");
        await cache.SetAsync(value);
        await cache.SetAsync(System.Text.Json.JsonSerializer.SerializeToElement(marker + "-v2"));
        var state = fixture.Cluster.Factory.GetGrain<ISystemStateGrain>($"s-{marker}");
        await state.SetAsync(value);
        await state.SetAsync(System.Text.Json.JsonSerializer.SerializeToElement(marker + "-v2"));
        Assert.NotEmpty(Holding(marker));

        await conversation.DeleteAsync();
        await agent.DeleteAsync();
        await cache.RemoveAsync();
        await state.DeleteAsync();

        var holding = Holding(marker);
        Assert.True(holding.Count == 0, $"deleted content is still in: {string.Join(", ", holding)}");
    }

    [Fact]
    public async Task An_erasure_interrupted_part_way_is_finished_by_the_next_activation()
    {
        var marker = Guid.NewGuid().ToString("N");
        var user = fixture.Cluster.Factory.GetGrain<IUserGrain>($"crash-{Guid.NewGuid():N}");
        await user.AddMemoryAsync($"I live in Oslo {marker}", Vectors.Axis(4, 0));
        await user.AddMemoryAsync($"I like skiing {marker}", Vectors.Axis(4, 1));
        await user.AddShortTermMessagesAsync([new ShortTermMessage("user", $"hi {marker}")]);

        fixture.Cluster.Storage.FailNextClearOf(user.GetGrainId(), "history/head");
        await Assert.ThrowsAsync<MemoryStorageException>(() => user.DeleteAllDataAsync());
        Assert.NotEmpty(Holding(marker)); // the history and short-term were not erased yet

        var stats = await user.GetStatsAsync(); // a new activation: it finds the erasure under way and finishes it
        Assert.Equal((0, 0), (stats.MemoryCount, stats.ShortTermCount));
        var holding = Holding(marker);
        Assert.True(holding.Count == 0, $"the interrupted erasure left: {string.Join(", ", holding)}");
        await user.AddMemoryAsync("a fresh start", Vectors.Axis(4, 2));
        Assert.Equal(1, (await user.GetStatsAsync()).MemoryCount);
    }

    [Fact]
    public async Task A_conversation_or_agent_deletion_interrupted_part_way_is_finished_by_the_next_activation()
    {
        var marker = Guid.NewGuid().ToString("N");
        var conversation = fixture.Cluster.Factory.GetGrain<IConversationGrain>($"crash-{Guid.NewGuid():N}");
        await conversation.AppendMessagesAsync([new RawMessage("", "user", $"my secret is {marker}")]);
        await conversation.StoreFormationRecordAsync(new MemoryFormationRecord("m1", 1, 1, $"formed {marker}"));
        var agent = fixture.Cluster.Factory.GetGrain<IAgentGrain>($"crash-{Guid.NewGuid():N}");
        await agent.AppendChainAsync(new ReasoningChain("", [new ReasoningStep(ReasoningStepKind.Thought, $"thinking {marker}")]));
        await agent.RecordConversationAsync("c1");

        fixture.Cluster.Storage.FailNextClearOf(conversation.GetGrainId(), "memories/head");
        await Assert.ThrowsAsync<MemoryStorageException>(() => conversation.DeleteAsync());
        fixture.Cluster.Storage.FailNextClearOf(agent.GetGrainId(), "conversations/head");
        await Assert.ThrowsAsync<MemoryStorageException>(() => agent.DeleteAsync());
        Assert.NotEmpty(Holding(marker));

        Assert.Equal(0, (await conversation.GetStatsAsync()).MessageCount); // new activations finish the erasures
        Assert.Equal(0, (await agent.GetStatsAsync()).ChainCount);
        var holding = Holding(marker);
        Assert.True(holding.Count == 0, $"the interrupted deletions left: {string.Join(", ", holding)}");
    }

    private List<string> Holding(string marker) => [.. Directory.EnumerateFiles(fixture.Cluster.Directory!, "*", SearchOption.AllDirectories)
        .Where(f => File.ReadAllText(f).Contains(marker, StringComparison.Ordinal))];
}
