namespace OrleansMemory.Abstractions;

/// <summary>Figures of one conversation.</summary>
/// <param name="MessageCount">Raw messages stored.</param>
/// <param name="MessageBytes">UTF-8 bytes of the raw messages' content.</param>
/// <param name="FirstMessageAt">Timestamp of the first message, if any.</param>
/// <param name="LastMessageAt">Timestamp of the last message, if any.</param>
/// <param name="HasDocument">Whether a conversation document is stored.</param>
/// <param name="DocumentBytes">UTF-8 bytes of the document's JSON.</param>
/// <param name="ChunkCount">Chunks stored.</param>
/// <param name="FormationRecordCount">Memory formation records stored.</param>
[GenerateSerializer, Alias("orleansmemory.ConversationStats")]
public sealed record ConversationStats(
    long MessageCount,
    long MessageBytes,
    DateTimeOffset? FirstMessageAt,
    DateTimeOffset? LastMessageAt,
    bool HasDocument,
    long DocumentBytes,
    int ChunkCount,
    int FormationRecordCount);
