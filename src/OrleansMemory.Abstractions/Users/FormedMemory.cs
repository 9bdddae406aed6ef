using System.Text;

namespace OrleansMemory.Abstractions;

/// <summary>A memory a conversation formed from its messages, offered to its user grain.</summary>
/// <param name="MemoryId">The id the memory takes when it is new; derived from the conversation and the message sequence,
/// so offering it again (a retried formation step) adds nothing twice.</param>
/// <param name="Text">What is remembered.</param>
/// <param name="Type">The memory type (see <see cref="MemoryTypes"/>).</param>
/// <param name="Importance">0..1.</param>
/// <param name="Source">The conversation and messages it was formed from.</param>
/// <param name="ConversationKey">The conversation grain's key, for the user grain to reach it (erasure).</param>
[GenerateSerializer, Immutable, Alias("orleansmemory.FormedMemory")]
public sealed record FormedMemory(string MemoryId, string Text, string Type, double Importance, MemorySource Source, string ConversationKey)
{
    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("Importance = ").Append(Importance)
            .Append(", Length = ").Append(Text?.Length);
        return true;
    }
}
