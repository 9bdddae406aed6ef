using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Client.Tests;

/// <summary>The MemoryStore facade over a test cluster's client; one subclass per storage provider.</summary>
public abstract class MemoryStoreTests(StoreClusterFixture fixture)
{
    [Fact]
    public async Task Cache_and_state_writes_with_an_idempotency_key_are_applied_once()
    {
        var store = fixture.Store;
        var cacheKey = "idem-" + Guid.NewGuid().ToString("N");
        Assert.True(await store.StoreCacheAsync(cacheKey, JsonSerializer.SerializeToElement("first"), TimeSpan.FromHours(1), "write-1"));
        Assert.True(await store.StoreCacheAsync(cacheKey, JsonSerializer.SerializeToElement("newer")));
        Assert.True(await store.StoreCacheAsync(cacheKey, JsonSerializer.SerializeToElement("first"), TimeSpan.FromHours(1), "write-1")); // a late retry
        Assert.Equal("newer", (await store.LoadCacheAsync(cacheKey))!.Value.GetString());
        await Assert.ThrowsAsync<IdempotencyKeyReusedException>(() =>
            store.StoreCacheAsync(cacheKey, JsonSerializer.SerializeToElement("other"), TimeSpan.FromHours(1), "write-1"));

        var stateKey = "idem-" + Guid.NewGuid().ToString("N");
        Assert.True(await store.StoreSystemStateAsync(stateKey, JsonSerializer.SerializeToElement(1), "state-1"));
        Assert.True(await store.StoreSystemStateAsync(stateKey, JsonSerializer.SerializeToElement(2)));
        Assert.True(await store.StoreSystemStateAsync(stateKey, JsonSerializer.SerializeToElement(1), "state-1"));
        Assert.Equal(2, (await store.LoadSystemStateAsync(stateKey))!.Value.GetInt32());
        await Assert.ThrowsAsync<MemoryValidationException>(() => store.StoreSystemStateAsync(stateKey, JsonSerializer.SerializeToElement(3), ""));

        var agentId = "idem-" + Guid.NewGuid().ToString("N");
        var chain = new ReasoningChain("", [new ReasoningStep(ReasoningStepKind.FinalAnswer, "Paris")], Goal: "Capital of France?");
        Assert.True(await store.StoreReasoningChainAsync(agentId, chain, "chain-1"));
        Assert.True(await store.StoreReasoningChainAsync(agentId, chain, "chain-1"));
        Assert.Single(await store.LoadReasoningChainsAsync(agentId));
    }

    [Fact]
    public async Task Every_facade_method_round_trips()
    {
        var store = fixture.Store;
        Assert.True(await store.StoreConversationAsync("c1", JsonSerializer.SerializeToElement(new { title = "first", memories = new[] { "m" } })));
        Assert.Equal("first", (await store.LoadConversationAsync("c1"))!.Value.GetProperty("title").GetString());
        Assert.Null(await store.LoadConversationAsync("nobody"));

        var messages = Enumerable.Range(1, 1500).Select(i => new RawMessage($"m{i}", i % 2 == 0 ? "assistant" : "user", $"message {i}")).ToList();
        Assert.True(await store.StoreRawMessagesAsync("c2", messages));
        var loaded = await store.LoadRawMessagesAsync("c2");
        Assert.Equal(1500, loaded.Count);
        Assert.Equal("message 1500", loaded[^1].Content);
        Assert.Equal(["m1001", "m1002"], (await store.LoadRawMessagesAsync("c2", afterSequence: 1000, limit: 2)).Select(m => m.Id));
        Assert.Equal([1501L], await store.AppendRawMessagesAsync("c2", [new RawMessage("m1501", "user", "more")]));

        Assert.True(await store.StoreMemoryAsync("c1", new MemoryFormationRecord("mem-1", 1, 10, "The user is called Ada.")));
        Assert.Equal("The user is called Ada.", (await store.LoadMemoriesAsync("c1")).Single().Content);

        Assert.True(await store.StoreChunksAsync("c1", [new ConversationChunk("k1", 1, 5)]));
        Assert.Equal("k1", (await store.LoadChunksAsync("c1")).Single().ChunkId);

        var step = new ReasoningStep(ReasoningStepKind.FinalAnswer, "Paris");
        Assert.True(await store.StoreReasoningChainAsync("agent-1", new ReasoningChain("r1", [step], "c1", "Capital of France?")));
        Assert.True(await store.StoreReasoningChainAsync("agent-1", new ReasoningChain("r2", [step], "c1", "Again?")));
        Assert.Equal(["r1", "r2"], (await store.LoadReasoningChainsAsync("agent-1")).Select(c => c.ChainId));
        Assert.Equal(["r2"], (await store.LoadReasoningChainsAsync("agent-1", limit: 1)).Select(c => c.ChainId));

        Assert.True(await store.StoreCacheAsync("prompt-1", JsonSerializer.SerializeToElement("cached answer"), TimeSpan.FromHours(1)));
        Assert.Equal("cached answer", (await store.LoadCacheAsync("prompt-1"))!.Value.GetString());
        Assert.Null(await store.LoadCacheAsync("prompt-2"));

        Assert.True(await store.StoreSystemStateAsync("schema", JsonSerializer.SerializeToElement(new { version = 2 })));
        Assert.Equal(2, (await store.LoadSystemStateAsync("schema"))!.Value.GetProperty("version").GetInt32());

        Assert.Equal(["c1", "c2"], await store.ListConversationsAsync());
        var stats = await store.GetStorageStatsAsync();
        Assert.Equal(new StorageStats(2, 2, 1501, stats.MessageBytes, 1, 1, 1), stats);
        Assert.True(stats.MessageBytes > 1500 * 9);

        var health = await store.HealthCheckAsync();
        Assert.True(health.Healthy, health.Error);

        Assert.True(await store.DeleteConversationAsync("c2"));
        Assert.Equal(["c1"], await store.ListConversationsAsync());
        Assert.Empty(await store.LoadRawMessagesAsync("c2"));
        var error = await Assert.ThrowsAsync<MemoryValidationException>(() => store.LoadConversationAsync(""));
        Assert.Equal("conversationId", error.ParamName);
    }

    [Fact]
    public async Task Formation_settings_round_trip_through_the_facade()
    {
        var store = fixture.Store;
        var conversation = "formation-" + Guid.NewGuid().ToString("N");
        Assert.Null(await store.GetFormationAsync(conversation));
        var status = await store.SetFormationAsync(conversation, "ada", instructions: "health only");
        Assert.Equal(("ada", "rules", "health only", 0L, 0L), (status.UserId, status.Extractor, status.Instructions, status.FormedThrough, status.Pending));
        Assert.Equal(("ada", FormationStatus.OwnSetting), ((await store.GetFormationAsync(conversation))!.UserId, (await store.GetFormationAsync(conversation))!.Setting));
        // Appends that name the user, through a store with its own directory (the other tests list the shared one).
        var appending = new MemoryStore(fixture.Cluster.Client, Options.Create(new MemoryStoreOptions { DirectoryKey = $"tenant-{Guid.NewGuid():N}" }));
        Assert.Equal([1L], await appending.AppendRawMessagesForUserAsync(conversation, "ada", [new RawMessage("", "assistant", "Hello Ada.")]));
        var other = await Assert.ThrowsAsync<MemoryValidationException>(() =>
            appending.AppendRawMessagesForUserAsync(conversation, "bob", [new RawMessage("", "assistant", "Hello Bob.")]));
        Assert.Equal("userId", other.ParamName);
        Assert.Single(await store.LoadRawMessagesAsync(conversation)); // refused before anything was stored
        var plain = "formation-" + Guid.NewGuid().ToString("N");
        await appending.AppendRawMessagesForUserAsync(plain, "ada", [new RawMessage("", "user", "I'm a baker.")]);
        Assert.Null(await store.GetFormationAsync(plain)); // no silo-wide default here: naming the user turns nothing on
        Assert.Equal([conversation, plain], await appending.ListConversationsAsync());
        Assert.True(await store.DisableFormationAsync(conversation));
        Assert.False(await store.DisableFormationAsync(conversation));
        Assert.Null(await store.GetFormationAsync(conversation));
        await Assert.ThrowsAsync<MemoryValidationException>(() => store.SetFormationAsync(conversation, "ada", "unknown"));
    }

    [Fact]
    public async Task Stores_with_different_directory_keys_list_only_their_own_conversations()
    {
        var tenant = $"tenant-{Guid.NewGuid():N}";
        var other = new MemoryStore(fixture.Cluster.Client, Options.Create(new MemoryStoreOptions { DirectoryKey = tenant }));
        var conversation = $"{tenant}-conversation";
        Assert.True(await other.StoreConversationAsync(conversation, JsonSerializer.SerializeToElement(new { owner = tenant })));
        Assert.Equal([conversation], await other.ListConversationsAsync());
        Assert.DoesNotContain(conversation, await fixture.Store.ListConversationsAsync());

        // The documents themselves are shared by every store of the cluster: a conversation id names one grain.
        Assert.Equal(tenant, (await fixture.Store.LoadConversationAsync(conversation))!.Value.GetProperty("owner").GetString());
    }
}

/// <summary>The facade against memory storage.</summary>
public sealed class MemoryStorageStoreTests(MemoryStorageClusterFixture fixture) : MemoryStoreTests(fixture), IClassFixture<MemoryStorageClusterFixture>;

/// <summary>The facade against file storage in a temporary directory.</summary>
public sealed class FileStorageStoreTests(FileStorageClusterFixture fixture) : MemoryStoreTests(fixture), IClassFixture<FileStorageClusterFixture>
{
    [Fact]
    public async Task Records_land_in_the_file_layout()
    {
        var store = new MemoryStore(fixture.Cluster.Client, Options.Create(new MemoryStoreOptions { DirectoryKey = "layout-tenant" }));
        Assert.True(await store.StoreConversationAsync("layout-1", JsonSerializer.SerializeToElement(new { a = 1 })));
        Assert.True(File.Exists(Path.Combine(fixture.Directory!, "conversations", "layout-1", "current.json")),
            string.Join(", ", Directory.GetFiles(fixture.Directory!, "*", SearchOption.AllDirectories)));
    }
}
