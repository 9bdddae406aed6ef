using System.Text;

namespace OrleansMemory.Abstractions;

/// <summary>Where a memory formed by a conversation came from.</summary>
/// <param name="ConversationId">The conversation, as its user's tenant names it.</param>
/// <param name="Sequences">The sequence numbers of the messages the memory was formed from, ascending.</param>
[GenerateSerializer, Immutable, Alias("orleansmemory.MemorySource")]
public sealed record MemorySource(string ConversationId, IReadOnlyList<long> Sequences)
{
    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("Sequences = ").Append(Sequences?.Count);
        return true;
    }
}
