using System.Text.Json;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>State of every kind of memory grain, written once and checked after the grains were activated afresh
/// (deactivated, or the whole cluster restarted), so that everything checked was read back from storage.</summary>
public sealed class RestartScenario(string prefix)
{
    private string? _london;
    private string? _paris;

    private IConversationGrain Conversation(IGrainFactory grains) => grains.GetGrain<IConversationGrain>($"{prefix}conv/1");

    private IUserGrain User(IGrainFactory grains) => grains.GetGrain<IUserGrain>($"{prefix}tenant/user-1");

    private IAgentGrain Agent(IGrainFactory grains) => grains.GetGrain<IAgentGrain>($"{prefix}agent-1");

    private ISystemStateGrain SystemState(IGrainFactory grains) => grains.GetGrain<ISystemStateGrain>($"{prefix}sys");

    /// <summary>The grains the scenario writes.</summary>
    public IAddressable[] Grains(IGrainFactory grains) => [Conversation(grains), User(grains), Agent(grains), SystemState(grains)];

    public async Task WriteAsync(IGrainFactory grains)
    {
        var conversation = Conversation(grains);
        await conversation.AppendMessagesAsync(Enumerable.Range(0, 130).Select(i => new RawMessage($"m{i}", MessageRoles.User, $"text {i}")).ToArray());
        await conversation.StoreDocumentAsync(JsonSerializer.SerializeToElement(new { v = 1 }));
        var user = User(grains);
        _london = (await user.AddMemoryAsync("I live in London", Vectors.Axis(8, 0))).Memory.Id;
        _paris = (await user.AddMemoryAsync("I live in Paris", Vectors.Near(8, 0, 1, 0.9))).Memory.Id;
        await user.AddMemoryAsync("I don't eat meat", Vectors.Axis(8, 2));
        await user.AddMemoryAsync("I eat meat", Vectors.Near(8, 2, 3, 0.85));
        await user.AddShortTermMessagesAsync([new ShortTermMessage(MessageRoles.User, "remember me")]);
        await Agent(grains).AppendChainAsync(new ReasoningChain("ch", [new ReasoningStep(ReasoningStepKind.FinalAnswer, "42")], $"{prefix}conv/1"));
        await SystemState(grains).SetAsync(JsonSerializer.SerializeToElement("on"));
    }

    public async Task AssertReadBackAsync(IGrainFactory grains)
    {
        var reloaded = Conversation(grains);
        Assert.Equal(130, await reloaded.GetMessageCountAsync());
        Assert.Equal("text 129", (await reloaded.GetMessagesAsync(129, 5)).Messages.Single().Content);
        Assert.Equal(131, await reloaded.AppendMessageAsync(new RawMessage("m130", MessageRoles.Assistant, "after restart")));
        Assert.Equal(1, (await reloaded.LoadDocumentAsync())!.Value.GetProperty("v").GetInt32());

        var user = User(grains);
        var found = await user.SearchAsync(Vectors.Axis(8, 0), topK: 1);
        Assert.Equal(_paris, found.Single().Memory.Id);
        Assert.Equal(_paris, (await user.GetMemoryAsync(_london!))!.SupersededBy);
        Assert.Equal("negation", Assert.Single(await user.GetPendingConflictsAsync()).Category);
        Assert.Single(await user.GetConflictsAsync(ConflictStatus.AutoResolved));
        Assert.Equal(4, (await user.GetHistoryAsync(_london!)).Count);
        Assert.Equal("remember me", (await user.GetShortTermMessagesAsync()).Single().Content);
        Assert.Equal(8, (await user.GetStatsAsync()).EmbeddingDimension);
        Assert.Equal("42", (await Agent(grains).GetChainsAsync()).Chains.Single().Steps[0].Content);
        Assert.Equal($"{prefix}conv/1", (await Agent(grains).GetConversationsAsync()).Single().ConversationId);
        Assert.Equal("on", (await SystemState(grains).GetAsync())!.Value.GetString());
    }
}
