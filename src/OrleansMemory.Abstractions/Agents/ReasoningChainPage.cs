namespace OrleansMemory.Abstractions;

/// <summary>A page of reasoning chains in sequence order.</summary>
/// <param name="Chains">The chains.</param>
/// <param name="HasMore">Whether chains follow the last one returned.</param>
/// <param name="TotalCount">The number of chains in the log.</param>
[GenerateSerializer, Alias("orleansmemory.ReasoningChainPage")]
public sealed record ReasoningChainPage(IReadOnlyList<ReasoningChain> Chains, bool HasMore, long TotalCount);
