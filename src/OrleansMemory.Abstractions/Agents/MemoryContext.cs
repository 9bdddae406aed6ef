using System.Text;

namespace OrleansMemory.Abstractions;

/// <summary>An agent's recent reasoning as chat messages, oldest first, cut to a token budget (newest kept).</summary>
/// <param name="Messages">The messages, oldest first.</param>
/// <param name="EstimatedTokens">The estimated tokens of <paramref name="Messages"/>.</param>
/// <param name="ChainsIncluded">How many reasoning chains the messages come from.</param>
/// <param name="Truncated">Whether older reasoning was left out to fit the budget.</param>
/// <param name="TokenEstimate">How tokens were estimated.</param>
[GenerateSerializer, Alias("orleansmemory.MemoryContext")]
public sealed record MemoryContext(
    IReadOnlyList<ContextMessage> Messages,
    int EstimatedTokens,
    int ChainsIncluded,
    bool Truncated,
    string TokenEstimate)
{
    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("EstimatedTokens = ").Append(EstimatedTokens)
            .Append(", ChainsIncluded = ").Append(ChainsIncluded)
            .Append(", Truncated = ").Append(Truncated);
        return true;
    }
}
