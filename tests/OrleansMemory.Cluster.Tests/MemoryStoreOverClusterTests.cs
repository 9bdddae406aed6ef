using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansMemory.Abstractions;
using OrleansMemory.Client;
using OrleansMemory.Hosting;
using OrleansMemory.Storage;
using OrleansMemory.TestingHost;

namespace OrleansMemory.Cluster.Tests;

/// <summary>The MemoryStore facade of the memory grains, unchanged, over a remote cluster client: every argument and
/// result of the memory grains crosses the wire as JSON.</summary>
public sealed class MemoryStoreOverClusterTests
{
    [Fact]
    public async Task FacadeMethodsRoundTripOverTheClusterClient()
    {
        var storage = new MemoryGrainStorage(name: "Default");
        await using var cluster = new InProcessTestClusterBuilder(2)
            .ConfigureSilo((_, silo) => silo.AddGrainStorage("Default", (_, _) => storage).AddMemoryGrains())
            .Build();
        await cluster.DeployAsync();
        var store = new MemoryStore(cluster.Client, Options.Create(new MemoryStoreOptions { DirectoryKey = "tenant-a" }));

        for (var i = 0; i < 6; i++)
        {
            Assert.True(await store.StoreConversationAsync($"c{i}", JsonSerializer.SerializeToElement(new { title = $"t{i}", memories = new[] { "m" } })));
        }

        Assert.Equal("t3", (await store.LoadConversationAsync("c3"))!.Value.GetProperty("title").GetString());
        var messages = Enumerable.Range(1, 300).Select(i => new RawMessage($"m{i}", i % 2 == 0 ? "assistant" : "user", $"message {i}")).ToList();
        Assert.True(await store.StoreRawMessagesAsync("c1", messages));
        Assert.Equal(300, (await store.LoadRawMessagesAsync("c1")).Count);
        Assert.Equal([301L], await store.AppendRawMessagesAsync("c1", [new RawMessage("m301", "user", "more")]));
        Assert.True(await store.StoreMemoryAsync("c1", new MemoryFormationRecord("mem-1", 1, 10, "The user is called Ada.")));
        Assert.Equal("The user is called Ada.", (await store.LoadMemoriesAsync("c1")).Single().Content);
        var step = new ReasoningStep(ReasoningStepKind.FinalAnswer, "Paris");
        Assert.True(await store.StoreReasoningChainAsync("agent-1", new ReasoningChain("r1", [step], "c1", "Capital of France?")));
        Assert.Equal(["r1"], (await store.LoadReasoningChainsAsync("agent-1")).Select(c => c.ChainId));
        Assert.True(await store.StoreCacheAsync("prompt-1", JsonSerializer.SerializeToElement("cached answer"), TimeSpan.FromHours(1)));
        Assert.Equal("cached answer", (await store.LoadCacheAsync("prompt-1"))!.Value.GetString());
        Assert.Equal(["c0", "c1", "c2", "c3", "c4", "c5"], await store.ListConversationsAsync());
        Assert.True((await store.HealthCheckAsync()).Healthy);
        await Assert.ThrowsAsync<MemoryValidationException>(() => store.LoadConversationAsync(""));

        // The conversations live on both silos (with 38 of them, all on one silo has odds of about 2^-37).
        for (var i = 0; i < 32; i++)
        {
            Assert.True(await store.StoreConversationAsync($"spread-{i}", JsonSerializer.SerializeToElement(new { title = "s" })));
        }

        Assert.All(cluster.Silos, s => Assert.Contains(s.ActivationIds, id => id.Type == "conversation"));
    }
}
