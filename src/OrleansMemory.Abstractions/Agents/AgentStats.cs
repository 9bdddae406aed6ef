namespace OrleansMemory.Abstractions;

/// <summary>Figures of one agent.</summary>
/// <param name="ChainCount">Reasoning chains stored.</param>
/// <param name="StepCount">Steps in those chains.</param>
/// <param name="TotalTokens">Input plus output tokens recorded on steps.</param>
/// <param name="ConversationCount">Conversations the agent took part in.</param>
/// <param name="LastChainAt">When the newest chain started, if any.</param>
[GenerateSerializer, Alias("orleansmemory.AgentStats")]
public sealed record AgentStats(long ChainCount, long StepCount, long TotalTokens, int ConversationCount, DateTimeOffset? LastChainAt);
