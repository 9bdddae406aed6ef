using System.Text.Json;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Conversations;

/// <summary>The stored conversation document (state <c>current</c>).</summary>
internal sealed class DocumentState
{
    public JsonElement? Document { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The stored chunking decisions (state <c>chunks</c>).</summary>
internal sealed class ChunkSetState
{
    public List<ConversationChunk> Chunks { get; set; } = [];
}
