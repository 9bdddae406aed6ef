namespace OrleansMemory.Abstractions;

/// <summary>An agent (key = agent id): its reasoning chains and the conversations it took part in.</summary>
[Alias("orleansmemory.IAgentGrain")]
public interface IAgentGrain : IGrainWithStringKey
{
    /// <summary>Appends a reasoning chain; returns its sequence number. With <paramref name="idempotencyKey"/> (see
    /// <see cref="IdempotencyKeys"/>) the chain's id (the one sent, else one derived from the key) records the append:
    /// a retry finds the chain under that id and returns its sequence without storing it again; another chain under
    /// that id is an <see cref="IdempotencyKeyReusedException"/>.</summary>
    Task<long> AppendChainAsync(ReasoningChain chain, string? idempotencyKey = null, CancellationToken cancellationToken = default);

    /// <summary>Reads up to <paramref name="limit"/> chains whose sequence is greater than <paramref name="afterSequence"/>.</summary>
    Task<ReasoningChainPage> GetChainsAsync(long afterSequence = 0, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>The newest chains (at most <paramref name="limit"/>) that started at or after <paramref name="since"/>, oldest first.</summary>
    Task<IReadOnlyList<ReasoningChain>> GetChainsSinceAsync(DateTimeOffset since, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Deletes every reasoning chain (every page).</summary>
    Task DeleteChainsAsync(CancellationToken cancellationToken = default);

    /// <summary>The recent reasoning history as chat messages within <paramref name="maxTokens"/>, newest kept.
    /// Tokens are estimated as ceil(characters / 4) + 4 per message.</summary>
    Task<MemoryContext> GetMemoryContextAsync(int maxTokens = 2000, CancellationToken cancellationToken = default);

    /// <summary>Records that the agent acted in a conversation (also done by <see cref="AppendChainAsync"/>).</summary>
    Task RecordConversationAsync(string conversationId, CancellationToken cancellationToken = default);

    /// <summary>The conversations the agent took part in, most recent activity first.</summary>
    Task<IReadOnlyList<AgentConversation>> GetConversationsAsync(CancellationToken cancellationToken = default);

    /// <summary>Figures of this agent.</summary>
    Task<AgentStats> GetStatsAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes everything of this agent from storage.</summary>
    Task DeleteAsync(CancellationToken cancellationToken = default);
}
