using System.Text.Json;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Silo.Api.Requests;

/// <summary>A raw message as sent by a caller.</summary>
/// <param name="Role">system, user, assistant or tool.</param>
/// <param name="Content">The text.</param>
/// <param name="Id">The caller's id; omitted: the grain assigns one.</param>
/// <param name="Timestamp">When it was sent; omitted: when stored.</param>
/// <param name="Name">Author name.</param>
/// <param name="ToolCallId">The tool call a tool message answers.</param>
/// <param name="Metadata">Free-form metadata.</param>
public sealed record MessageInput(
    string Role,
    string Content,
    string? Id = null,
    DateTimeOffset? Timestamp = null,
    string? Name = null,
    string? ToolCallId = null,
    IReadOnlyDictionary<string, JsonElement>? Metadata = null)
{
    /// <summary>The grain's record.</summary>
    public RawMessage ToRawMessage() => new(Id ?? "", Role, Content, Timestamp ?? default, Name, ToolCallId, Metadata);
}

/// <summary>Messages to replace the history with.</summary>
/// <param name="Messages">The messages, in order.</param>
public sealed record MessagesRequest(IReadOnlyList<MessageInput> Messages);

/// <summary>Messages to append.</summary>
/// <param name="Messages">The messages, in order.</param>
/// <param name="UserId">Optional: the conversation's user (in the caller's tenant). Under the silo-wide formation default
/// (<c>OrleansMemory:Grains:Formation:Default</c>) the conversation then forms this user's memories; naming another user
/// than the one it forms for is refused.</param>
public sealed record AppendMessagesRequest(IReadOnlyList<MessageInput> Messages, string? UserId = null);

/// <summary>The sequence numbers given to appended messages.</summary>
/// <param name="Sequences">One per message, in order.</param>
public sealed record SequencesResponse(IReadOnlyList<long> Sequences);

/// <summary>Chunking decisions replacing the stored ones.</summary>
/// <param name="Chunks">The chunks.</param>
public sealed record ChunksRequest(IReadOnlyList<ConversationChunk> Chunks);

/// <summary>A reasoning chain as sent by a caller.</summary>
/// <param name="Steps">The steps in order (at least one).</param>
/// <param name="ChainId">The chain's id; omitted: the grain assigns one.</param>
/// <param name="ConversationId">The conversation the reasoning belonged to.</param>
/// <param name="Goal">What the agent was asked.</param>
/// <param name="StartedAt">When it started; omitted: its first step's time.</param>
/// <param name="CompletedAt">When it ended.</param>
/// <param name="Metadata">Free-form metadata.</param>
public sealed record ReasoningChainInput(
    IReadOnlyList<ReasoningStep> Steps,
    string? ChainId = null,
    string? ConversationId = null,
    string? Goal = null,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? CompletedAt = null,
    IReadOnlyDictionary<string, JsonElement>? Metadata = null)
{
    /// <summary>The grain's record.</summary>
    public ReasoningChain ToChain() => new(ChainId ?? "", Steps, ConversationId, Goal, StartedAt ?? default, CompletedAt, Metadata);
}

/// <summary>The sequence number of an appended chain.</summary>
/// <param name="Sequence">Its position in the agent's log.</param>
public sealed record SequenceResponse(long Sequence);

/// <summary>Records that an agent acted in a conversation.</summary>
/// <param name="ConversationId">The conversation.</param>
public sealed record AgentConversationRequest(string ConversationId);

/// <summary>A new memory.</summary>
/// <param name="Text">What is remembered.</param>
/// <param name="Embedding">Its embedding; omitted: the configured embedding generator computes it.</param>
/// <param name="Type">fact, preference, event, instruction or another type.</param>
/// <param name="Importance">0..1.</param>
/// <param name="Metadata">Free-form metadata.</param>
public sealed record AddMemoryRequest(
    string Text,
    float[]? Embedding = null,
    string Type = MemoryTypes.Fact,
    double Importance = 0.5,
    IReadOnlyDictionary<string, JsonElement>? Metadata = null);

/// <summary>Memories to import without duplicate or conflict detection.</summary>
/// <param name="Memories">The memories.</param>
public sealed record ImportMemoriesRequest(IReadOnlyList<ImportedMemory> Memories);

/// <summary>The ids of imported memories.</summary>
/// <param name="Ids">One per memory, in order.</param>
public sealed record IdsResponse(IReadOnlyList<string> Ids);

/// <summary>A memory search by embedding or by text (exactly one).</summary>
/// <param name="Embedding">The query embedding.</param>
/// <param name="Query">The query text, embedded by the configured embedding generator.</param>
/// <param name="TopK">1..1000.</param>
/// <param name="MinScore">0..1.</param>
/// <param name="Filter">Conditions every result meets.</param>
public sealed record SearchRequest(float[]? Embedding = null, string? Query = null, int TopK = 10, double MinScore = 0, MemoryFilter? Filter = null);

/// <summary>Archives a memory.</summary>
/// <param name="SupersededBy">The memory that replaces it.</param>
/// <param name="Reason">Why.</param>
public sealed record ArchiveRequest(string? SupersededBy = null, string? Reason = null);

/// <summary>A memory's embedding.</summary>
/// <param name="MemoryId">The memory.</param>
/// <param name="Dimension">The embedding's length.</param>
/// <param name="Embedding">The normalised embedding.</param>
public sealed record EmbeddingResponse(string MemoryId, int Dimension, float[] Embedding);

/// <summary>Escalates a conflict.</summary>
/// <param name="Reason">Why.</param>
public sealed record EscalateRequest(string? Reason = null);

/// <summary>Messages for short-term memory.</summary>
/// <param name="Messages">The messages, oldest first.</param>
public sealed record ShortTermRequest(IReadOnlyList<ShortTermMessage> Messages);

/// <summary>A user's short-term capacity.</summary>
/// <param name="MaxMessages">1..10,000.</param>
public sealed record CapacityRequest(int MaxMessages);

/// <summary>A cache entry to store.</summary>
/// <param name="Value">Any JSON.</param>
/// <param name="TtlSeconds">Time to live in seconds; omitted: never expires.</param>
public sealed record CacheSetRequest(JsonElement Value, double? TtlSeconds = null);
