namespace OrleansMemory.Grains.Agents;

/// <summary>Erasing an agent, resumably: the reasoning chain log's head says an erasure is under way until that log,
/// cleared last, is gone; an activation that finds the mark finishes the erasure.</summary>
public sealed partial class AgentGrain
{
    private async Task EraseAsync()
    {
        await _chainLog.MarkErasingAsync();
        await _conversationLog.ClearAsync();
        await _chainLog.ClearAsync();
        await EraseEarlierVersionsAsync("reasoning_chains/head");
    }
}
