using System.Text;
using System.Text.Json;

namespace OrleansMemory.Abstractions;

/// <summary>One uncompressed message of a conversation's history, kept for recompression.</summary>
/// <param name="Id">The message id given by the caller; empty lets the grain assign one.</param>
/// <param name="Role">One of <c>system</c>, <c>user</c>, <c>assistant</c>, <c>tool</c> (see <see cref="MessageRoles"/>).</param>
/// <param name="Content">The message text.</param>
/// <param name="Timestamp">When the message was sent; default lets the grain use the time it was stored.</param>
/// <param name="Name">Optional author name.</param>
/// <param name="ToolCallId">Optional id of the tool call a tool message answers.</param>
/// <param name="Metadata">Optional free-form metadata (a JSON object).</param>
/// <param name="Sequence">The position in the history, from 1, set by the grain; ignored on input.</param>
[GenerateSerializer, Alias("orleansmemory.RawMessage")]
public sealed record RawMessage(
    string Id,
    string Role,
    string Content,
    DateTimeOffset Timestamp = default,
    string? Name = null,
    string? ToolCallId = null,
    IReadOnlyDictionary<string, JsonElement>? Metadata = null,
    long Sequence = 0)
{
    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("Timestamp = ").Append(Timestamp)
            .Append(", Sequence = ").Append(Sequence);
        return true;
    }
}
