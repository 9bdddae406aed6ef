using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Agents;

/// <summary>Idempotent chain appends: with an idempotency key, the chain's id (the caller's, or one derived from the
/// key's hash) is the key's record, stored in the same page write as the chain; a chain the agent holds under that id
/// answers with its sequence and nothing is stored again.</summary>
public sealed partial class AgentGrain
{
    /// <summary>The chain id a keyed append uses: the caller's, else <c>key-</c> and the key's hash.</summary>
    private static string KeyedChainId(ReasoningChain chain, string keyHash) =>
        string.IsNullOrEmpty(chain.ChainId) ? "key-" + keyHash : chain.ChainId;

    /// <summary>The sequence of the chain a keyed append stored before, or null; the same id with another chain is an
    /// <see cref="IdempotencyKeyReusedException"/>.</summary>
    private long? Replayed(ReasoningChain sent, string chainId)
    {
        var stored = _chains.FindLast(c => c.ChainId == chainId);
        if (stored is null)
        {
            return null;
        }

        return SameChain(stored, sent) ? stored.Sequence : throw new IdempotencyKeyReusedException();
    }

    /// <summary>Whether a stored chain is the one sent (timestamps the grain filled in aside).</summary>
    private static bool SameChain(ReasoningChain stored, ReasoningChain sent) =>
        stored.Goal == sent.Goal
        && (stored.ConversationId ?? string.Empty) == (sent.ConversationId ?? string.Empty)
        && stored.Steps.Count == sent.Steps.Count
        && stored.Steps.Zip(sent.Steps).All(p => p.First.Kind == p.Second.Kind && p.First.Content == p.Second.Content
            && p.First.ToolName == p.Second.ToolName && p.First.Arguments?.GetRawText() == p.Second.Arguments?.GetRawText()
            && p.First.Result?.GetRawText() == p.Second.Result?.GetRawText());
}
