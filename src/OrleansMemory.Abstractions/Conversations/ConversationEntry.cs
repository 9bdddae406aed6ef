using System.Text;

namespace OrleansMemory.Abstractions;

/// <summary>One conversation known to a directory.</summary>
/// <param name="ConversationId">The conversation's grain key.</param>
/// <param name="CreatedAt">When it was first registered.</param>
/// <param name="UpdatedAt">When it was last touched.</param>
[GenerateSerializer, Alias("orleansmemory.ConversationEntry")]
public sealed record ConversationEntry(string ConversationId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("CreatedAt = ").Append(CreatedAt)
            .Append(", UpdatedAt = ").Append(UpdatedAt);
        return true;
    }
}
