using System.Text;

namespace OrleansMemory.Abstractions;

/// <summary>A chat message for an LLM prompt.</summary>
/// <param name="Role">The role (<see cref="MessageRoles"/>).</param>
/// <param name="Content">The text.</param>
[GenerateSerializer, Alias("orleansmemory.ContextMessage")]
public sealed record ContextMessage(string Role, string Content)
{
    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        _ = builder;
        return false;
    }
}
