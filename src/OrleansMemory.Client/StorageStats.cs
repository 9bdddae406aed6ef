namespace OrleansMemory.Client;

/// <summary>Figures over the conversations of a store's directory.</summary>
/// <param name="ConversationCount">Conversations in the directory.</param>
/// <param name="ConversationsCounted">Conversations whose figures are included (at most <see cref="MemoryStoreOptions.MaxConversationsInStats"/>).</param>
/// <param name="MessageCount">Raw messages in those conversations.</param>
/// <param name="MessageBytes">UTF-8 bytes of their content.</param>
/// <param name="FormationRecordCount">Memory formation records in those conversations.</param>
/// <param name="ChunkCount">Chunks in those conversations.</param>
/// <param name="DocumentCount">Conversations with a stored document.</param>
public sealed record StorageStats(
    int ConversationCount,
    int ConversationsCounted,
    long MessageCount,
    long MessageBytes,
    long FormationRecordCount,
    long ChunkCount,
    int DocumentCount);
