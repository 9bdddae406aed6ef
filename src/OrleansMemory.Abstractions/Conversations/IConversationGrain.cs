using System.Text.Json;
using Orleans.Concurrency;

namespace OrleansMemory.Abstractions;

/// <summary>A conversation (key = conversation id): its document, raw message history, chunks and memory formation records.</summary>
[Alias("orleansmemory.IConversationGrain")]
public interface IConversationGrain : IGrainWithStringKey
{
    /// <summary>Stores the conversation document (the agent framework's own format), replacing the previous one.</summary>
    /// <exception cref="MemoryValidationException">The document is undefined or larger than the configured limit.</exception>
    Task StoreDocumentAsync(JsonElement document, CancellationToken cancellationToken = default);

    /// <summary>The conversation document, or null when none is stored.</summary>
    Task<JsonElement?> LoadDocumentAsync(CancellationToken cancellationToken = default);

    /// <summary>Appends one raw message; returns its sequence number.</summary>
    Task<long> AppendMessageAsync(RawMessage message, CancellationToken cancellationToken = default);

    /// <summary>Appends raw messages in order; returns their sequence numbers.</summary>
    Task<IReadOnlyList<long>> AppendMessagesAsync(IReadOnlyList<RawMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Appends raw messages in order, as <see cref="AppendMessagesAsync"/>, and names the conversation's user: a
    /// conversation without formation settings of its own then forms this user's memories under the silo-wide default
    /// (<c>OrleansMemory:Grains:Formation:Default</c>), when one is configured.</summary>
    /// <exception cref="MemoryValidationException">The user id is invalid, or the conversation already forms memories for
    /// another user (nothing is appended then).</exception>
    Task<IReadOnlyList<long>> AppendMessagesForUserAsync(string userId, IReadOnlyList<RawMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Reads up to <paramref name="limit"/> messages whose sequence is greater than <paramref name="afterSequence"/>.</summary>
    Task<MessagePage> GetMessagesAsync(long afterSequence = 0, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>Reads the messages with <paramref name="from"/> &lt;= timestamp &lt; <paramref name="to"/>, in sequence order.</summary>
    Task<IReadOnlyList<RawMessage>> GetMessagesInRangeAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>The number of raw messages.</summary>
    Task<long> GetMessageCountAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the whole raw history (sequences restart at 1).</summary>
    Task ReplaceMessagesAsync(IReadOnlyList<RawMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Replaces the chunking decisions.</summary>
    Task StoreChunksAsync(IReadOnlyList<ConversationChunk> chunks, CancellationToken cancellationToken = default);

    /// <summary>Every chunk, in the order stored.</summary>
    Task<IReadOnlyList<ConversationChunk>> LoadChunksAsync(CancellationToken cancellationToken = default);

    /// <summary>One chunk by id, or null.</summary>
    Task<ConversationChunk?> GetChunkAsync(string chunkId, CancellationToken cancellationToken = default);

    /// <summary>Stores a memory formation record; a record with the same id is replaced.</summary>
    Task StoreFormationRecordAsync(MemoryFormationRecord record, CancellationToken cancellationToken = default);

    /// <summary>Memory formation records in the order first stored, from <paramref name="offset"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<MemoryFormationRecord>> LoadFormationRecordsAsync(int offset = 0, int limit = 1000, CancellationToken cancellationToken = default);

    /// <summary>Turns background memory formation on (or changes its settings): after each append, the new messages are
    /// given to the extractor and what it finds is added to the user's memories, from a durable cursor. Returns the status.</summary>
    /// <exception cref="MemoryValidationException">The user id is not valid or the extractor is not registered.</exception>
    Task<FormationStatus> SetFormationAsync(FormationSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Where memory formation stands (<see cref="FormationStatus.Setting"/>: the conversation's own settings or the
    /// silo-wide default; under the default, <see cref="FormationStatus.UserId"/> is null until an append names the user),
    /// or null when it is off.</summary>
    Task<FormationStatus?> GetFormationAsync(CancellationToken cancellationToken = default);

    /// <summary>Turns memory formation off (the cursor is forgotten; formed memories and their records stay), the silo-wide
    /// default included: it no longer applies to this conversation until settings are set again. False when it was off.</summary>
    /// <returns>Whether it was on.</returns>
    Task<bool> DisableFormationAsync(CancellationToken cancellationToken = default);

    /// <summary>Called when a user is erased: removes the memory formation records of that user's memories and turns
    /// formation for that user off. Interleaves (<see cref="AlwaysInterleaveAttribute"/>), so a user's erasure never
    /// waits for a conversation that is waiting for that user.</summary>
    [AlwaysInterleave]
    Task ForgetUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Figures of this conversation.</summary>
    Task<ConversationStats> GetStatsAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes everything of this conversation from storage: document, every message page, chunks, formation records.</summary>
    Task DeleteAsync(CancellationToken cancellationToken = default);
}
