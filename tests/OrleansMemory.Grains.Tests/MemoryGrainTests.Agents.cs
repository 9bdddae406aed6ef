using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

public abstract partial class MemoryGrainTests
{
    private static ReasoningChain Chain(string goal, DateTimeOffset at, string? conversationId = null, string answer = "done") => new(
        "",
        [
            new ReasoningStep(ReasoningStepKind.Thought, "I should look it up.", at),
            new ReasoningStep(ReasoningStepKind.ToolCall, "", at.AddSeconds(1), "search", Json("""{"q":"weather"}"""), InputTokens: 20),
            new ReasoningStep(ReasoningStepKind.ToolResult, "", at.AddSeconds(2), "search", Result: Json("""{"temp":21}""")),
            new ReasoningStep(ReasoningStepKind.FinalAnswer, answer, at.AddSeconds(3), OutputTokens: 5),
        ],
        conversationId,
        goal);

    [Fact]
    public async Task Reasoning_chains_append_page_since_and_delete()
    {
        var agent = Grains.GetGrain<IAgentGrain>(Key("agent"));
        var t0 = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(i + 1, await agent.AppendChainAsync(Chain($"goal {i}", t0.AddHours(i), "conv-a")));
        }

        var page = await agent.GetChainsAsync(0, 3);
        Assert.Equal(["goal 0", "goal 1", "goal 2"], page.Chains.Select(c => c.Goal));
        Assert.True(page.HasMore);
        Assert.Equal(4, page.Chains[0].Steps.Count);
        Assert.Equal(21, page.Chains[0].Steps[2].Result!.Value.GetProperty("temp").GetInt32());
        Assert.False(string.IsNullOrEmpty(page.Chains[0].ChainId));
        Assert.Equal(t0, page.Chains[0].StartedAt);
        Assert.Equal(["goal 3", "goal 4"], (await agent.GetChainsAsync(3)).Chains.Select(c => c.Goal));
        Assert.Equal(["goal 3", "goal 4"], (await agent.GetChainsSinceAsync(t0.AddHours(3))).Select(c => c.Goal));
        Assert.Equal(["goal 4"], (await agent.GetChainsSinceAsync(t0, limit: 1)).Select(c => c.Goal));

        var stats = await agent.GetStatsAsync();
        Assert.Equal(new AgentStats(5, 20, 125, 1, t0.AddHours(4)), stats);

        await agent.DeleteChainsAsync();
        Assert.Equal(0, (await agent.GetChainsAsync()).TotalCount);
        Assert.DoesNotContain(Cluster.Storage.LiveRecords(agent.GetGrainId()), s => s.StartsWith("reasoning_chains/0", StringComparison.Ordinal));
        await Assert.ThrowsAsync<MemoryValidationException>(() => agent.AppendChainAsync(new ReasoningChain("", [])));
        await Assert.ThrowsAsync<MemoryValidationException>(() => agent.AppendChainAsync(
            new ReasoningChain("", [new ReasoningStep(ReasoningStepKind.ToolCall, "no tool name")])));
    }

    [Fact]
    public async Task Memory_context_keeps_the_newest_messages_within_the_budget()
    {
        var agent = Grains.GetGrain<IAgentGrain>(Key("agent"));
        var t0 = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        await agent.AppendChainAsync(Chain("old question", t0, answer: "old answer"));
        await agent.AppendChainAsync(Chain("new question", t0.AddHours(1), answer: "new answer"));

        var all = await agent.GetMemoryContextAsync(10_000);
        Assert.False(all.Truncated);
        Assert.Equal(2, all.ChainsIncluded);
        Assert.Equal(10, all.Messages.Count);
        Assert.Equal(("user", "old question"), (all.Messages[0].Role, all.Messages[0].Content));
        Assert.Equal("new answer", all.Messages[^1].Content);
        Assert.Equal("tool", all.Messages[3].Role);
        Assert.Contains("search", all.Messages[2].Content, StringComparison.Ordinal);
        Assert.Equal(all.Messages.Sum(m => ((m.Content.Length + 3) / 4) + 4), all.EstimatedTokens);

        // "new answer" costs 3 + 4 = 7 tokens; the step before it costs more than the 3 left.
        var tight = await agent.GetMemoryContextAsync(10);
        Assert.True(tight.Truncated);
        Assert.Equal(["new answer"], tight.Messages.Select(m => m.Content));
        Assert.Equal(7, tight.EstimatedTokens);
        Assert.Equal(1, tight.ChainsIncluded);
        await Assert.ThrowsAsync<MemoryValidationException>(() => agent.GetMemoryContextAsync(0));
    }

    [Fact]
    public async Task Agent_records_the_conversations_it_took_part_in()
    {
        var agent = Grains.GetGrain<IAgentGrain>(Key("agent"));
        var t0 = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        await agent.AppendChainAsync(Chain("a", t0, "conv-1"));
        await agent.AppendChainAsync(Chain("b", t0.AddHours(1), "conv-2"));
        await agent.AppendChainAsync(Chain("c", t0.AddHours(2), "conv-1"));
        var conversations = await agent.GetConversationsAsync();
        Assert.Equal(["conv-1", "conv-2"], conversations.Select(c => c.ConversationId));
        Assert.Equal((t0, t0.AddHours(2)), (conversations[0].FirstActivity, conversations[0].LastActivity));

        await agent.RecordConversationAsync("conv-3");
        Assert.Equal("conv-3", (await agent.GetConversationsAsync())[0].ConversationId);
        await Assert.ThrowsAsync<MemoryValidationException>(() => agent.RecordConversationAsync(" "));

        await agent.DeleteAsync();
        AssertNoRecords(Cluster, agent.GetGrainId());
    }
}
