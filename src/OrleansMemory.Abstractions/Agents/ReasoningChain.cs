using System.Text;
using System.Text.Json;

namespace OrleansMemory.Abstractions;

/// <summary>An agent's reasoning for one task: the steps from the first thought to the final answer.</summary>
/// <param name="ChainId">The chain's id; empty lets the grain assign one.</param>
/// <param name="Steps">The steps in order (at least one).</param>
/// <param name="ConversationId">The conversation the reasoning belonged to, if any; recorded as a conversation the agent took part in.</param>
/// <param name="Goal">What the agent was asked, if recorded.</param>
/// <param name="StartedAt">When the chain started; default: its first step's time.</param>
/// <param name="CompletedAt">When the chain ended, if it did.</param>
/// <param name="Metadata">Free-form metadata.</param>
/// <param name="Sequence">The chain's position in the agent's log, from 1, set by the grain; ignored on input.</param>
[GenerateSerializer, Alias("orleansmemory.ReasoningChain")]
public sealed record ReasoningChain(
    string ChainId,
    IReadOnlyList<ReasoningStep> Steps,
    string? ConversationId = null,
    string? Goal = null,
    DateTimeOffset StartedAt = default,
    DateTimeOffset? CompletedAt = null,
    IReadOnlyDictionary<string, JsonElement>? Metadata = null,
    long Sequence = 0)
{
    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("StartedAt = ").Append(StartedAt)
            .Append(", CompletedAt = ").Append(CompletedAt)
            .Append(", Sequence = ").Append(Sequence);
        return true;
    }
}
