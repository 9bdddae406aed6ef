using System.Text;

namespace OrleansMemory.Abstractions;

/// <summary>A recent message in a user's short-term memory.</summary>
/// <param name="Role">The role (<see cref="MessageRoles"/>).</param>
/// <param name="Content">The text.</param>
/// <param name="Timestamp">When it was said; default lets the grain use the time it was stored.</param>
[GenerateSerializer, Alias("orleansmemory.ShortTermMessage")]
public sealed record ShortTermMessage(string Role, string Content, DateTimeOffset Timestamp = default)
{
    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("Timestamp = ").Append(Timestamp);
        return true;
    }
}
