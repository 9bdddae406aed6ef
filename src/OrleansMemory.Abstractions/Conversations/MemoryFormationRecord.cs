using System.Text;
using System.Text.Json;

namespace OrleansMemory.Abstractions;

/// <summary>A compressed memory formed from a range of the raw history.</summary>
/// <param name="MemoryId">The memory's id, unique within the conversation; storing the same id again replaces it.</param>
/// <param name="SourceStartSequence">The first raw message sequence the memory was formed from.</param>
/// <param name="SourceEndSequence">The last raw message sequence the memory was formed from.</param>
/// <param name="Content">The compressed content.</param>
/// <param name="CreatedAt">When the memory was formed; default lets the grain use the time it was stored.</param>
/// <param name="Metadata">Free-form metadata.</param>
/// <param name="UserId">The user grain's key the memory belongs to, when the conversation formed it in the background;
/// erasing that user removes the record.</param>
[GenerateSerializer, Alias("orleansmemory.MemoryFormationRecord")]
public sealed record MemoryFormationRecord(
    string MemoryId,
    long SourceStartSequence,
    long SourceEndSequence,
    string Content,
    DateTimeOffset CreatedAt = default,
    IReadOnlyDictionary<string, JsonElement>? Metadata = null,
    string? UserId = null)
{
    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("SourceStartSequence = ").Append(SourceStartSequence)
            .Append(", SourceEndSequence = ").Append(SourceEndSequence)
            .Append(", CreatedAt = ").Append(CreatedAt);
        return true;
    }
}
