using System.Text;
using System.Text.Json;

namespace OrleansMemory.Abstractions;

/// <summary>A chunking decision: which part of the history forms one chunk, and what the agent framework keeps about it.</summary>
/// <param name="ChunkId">The chunk's id, unique within the conversation.</param>
/// <param name="StartSequence">The first message sequence of the chunk.</param>
/// <param name="EndSequence">The last message sequence of the chunk.</param>
/// <param name="Content">The chunk's content in the framework's own format (opaque JSON), if any.</param>
/// <param name="Metadata">Free-form metadata.</param>
[GenerateSerializer, Alias("orleansmemory.ConversationChunk")]
public sealed record ConversationChunk(
    string ChunkId,
    long StartSequence,
    long EndSequence,
    JsonElement? Content = null,
    IReadOnlyDictionary<string, JsonElement>? Metadata = null)
{
    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("StartSequence = ").Append(StartSequence)
            .Append(", EndSequence = ").Append(EndSequence);
        return true;
    }
}
