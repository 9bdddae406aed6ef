using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansMemory.Abstractions;
using OrleansMemory.Hosting;

namespace OrleansMemory.Client.Tests;

/// <summary>The MemoryStore facade against an in-process silo, with memory and with file storage.</summary>
public sealed class MemoryStoreTests
{
    private static async Task<(IHost Host, MemoryStore Store)> StartAsync(string storage, string? directory)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseSilo(silo =>
        {
            silo.UseLocalhostClustering();
            if (storage == "file")
            {
                silo.AddFileGrainStorage("Default", o => o.BaseDirectory = directory!);
            }
            else
            {
                silo.AddMemoryGrainStorage("Default");
            }

            silo.AddMemoryGrains();
        });
        builder.Services.AddMemoryStore(o => o.DirectoryKey = "tenant-a");
        var host = builder.Build();
        await host.StartAsync();
        return (host, host.Services.GetRequiredService<MemoryStore>());
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("file")]
    public async Task Every_facade_method_round_trips(string storage)
    {
        var directory = Path.Combine(Path.GetTempPath(), "omem-client-" + Guid.NewGuid().ToString("N"));
        var (host, store) = await StartAsync(storage, directory);
        try
        {
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
            await Assert.ThrowsAsync<MemoryValidationException>(() => store.LoadConversationAsync(""));
        }
        finally
        {
            await host.StopAsync();
            host.Dispose();
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
