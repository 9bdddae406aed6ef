using System.Text.Json;
using Orleans.Concurrency;

namespace OrleansMemory.Abstractions;

/// <summary>A user (key = user id): long-term semantic memories with embeddings, memory conflicts, and a short-term FIFO
/// of recent messages.</summary>
[Alias("orleansmemory.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Adds a memory, detecting duplicates and conflicts with the user's existing memories.</summary>
    /// <param name="text">What is remembered.</param>
    /// <param name="embedding">Its embedding; null to have the configured embedding generator compute it. The first
    /// memory fixes the user's dimension; NaN, infinite values and zero vectors are rejected. Passed without a copy
    /// (<see cref="ImmutableAttribute"/>): the grain neither keeps nor changes the array, and the caller must not change
    /// it during the call.</param>
    /// <param name="type">The memory type (see <see cref="MemoryTypes"/>).</param>
    /// <param name="importance">0..1.</param>
    /// <param name="metadata">Free-form metadata.</param>
    /// <param name="idempotencyKey">Optional (see <see cref="IdempotencyKeys"/>): a retry with the same key within the
    /// idempotency window answers with the first outcome (the memory as it is now) and stores nothing; the same key
    /// with a different request is an <see cref="IdempotencyKeyReusedException"/>. The key's record is stored with the
    /// memory it created or merged into, so it goes with that memory.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<AddMemoryResult> AddMemoryAsync(
        string text,
        [Immutable] float[]? embedding = null,
        string type = MemoryTypes.Fact,
        double importance = 0.5,
        IReadOnlyDictionary<string, JsonElement>? metadata = null,
        string? idempotencyKey = null,
        CancellationToken cancellationToken = default);

    /// <summary>Adds the memories a conversation formed in one step, in order, each through the same duplicate and conflict
    /// detection as <see cref="AddMemoryAsync"/>, with its source; their texts are embedded in one batch. Idempotent by
    /// <see cref="FormedMemory.MemoryId"/>, which serves as each offer's idempotency key (recorded like
    /// <see cref="AddMemoryAsync"/>'s, with the memory it created or merged into, for as long as that memory exists): a
    /// memory offered again (a retried formation step) returns what the first offer did and changes nothing. The list is
    /// passed without a copy: the grain neither keeps nor changes it.</summary>
    /// <returns>One result per memory, in order.</returns>
    Task<IReadOnlyList<AddMemoryResult>> AddFormedMemoriesAsync([Immutable] IReadOnlyList<FormedMemory> memories, CancellationToken cancellationToken = default);

    /// <summary>Records that a conversation forms this user's memories (called before it starts), so that erasing the
    /// user reaches the conversation's setting and records even before it has formed anything.</summary>
    /// <param name="conversationKey">The conversation grain's key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task LinkConversationAsync(string conversationKey, CancellationToken cancellationToken = default);

    /// <summary>Removes the link of this user's memories to a deleted conversation (the memories stay).</summary>
    /// <param name="conversationKey">The conversation grain's key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task UnlinkConversationAsync(string conversationKey, CancellationToken cancellationToken = default);

    /// <summary>Adds memories as given, without duplicate or conflict detection (migration, seeding); returns their ids.
    /// The list is passed without a copy: the grain neither keeps nor changes it. With <paramref name="idempotencyKey"/>
    /// (see <see cref="IdempotencyKeys"/>), a retry with the same key and list within the idempotency window returns the
    /// same ids and stores only the memories an interrupted first attempt did not.</summary>
    Task<IReadOnlyList<string>> ImportMemoriesAsync([Immutable] IReadOnlyList<ImportedMemory> memories, string? idempotencyKey = null,
        CancellationToken cancellationToken = default);

    /// <summary>The <paramref name="topK"/> (1..1000) memories most similar to the query with a score of at least
    /// <paramref name="minScore"/> (0..1), best first. The query is passed without a copy: the grain neither keeps nor changes it.
    /// Searches interleave with the user's other calls (<see cref="AlwaysInterleaveAttribute"/>): they never wait for a
    /// write's storage round trip, and see every write whose storage write has completed.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<MemorySearchResult>> SearchAsync(
        [Immutable] float[] queryEmbedding,
        int topK = 10,
        double minScore = 0,
        MemoryFilter? filter = null,
        CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="SearchAsync"/> with the query embedded by the configured embedding generator.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<MemorySearchResult>> SearchTextAsync(
        string query,
        int topK = 10,
        double minScore = 0,
        MemoryFilter? filter = null,
        CancellationToken cancellationToken = default);

    /// <summary>One memory by id (archived ones too), or null.</summary>
    Task<SemanticMemory?> GetMemoryAsync(string memoryId, CancellationToken cancellationToken = default);

    /// <summary>The normalised embedding of a memory, or null.</summary>
    Task<float[]?> GetEmbeddingAsync(string memoryId, CancellationToken cancellationToken = default);

    /// <summary>Changes a memory.</summary>
    /// <exception cref="MemoryNotFoundException">No such memory.</exception>
    Task<SemanticMemory> UpdateMemoryAsync(string memoryId, MemoryUpdate update, CancellationToken cancellationToken = default);

    /// <summary>Archives a memory (soft delete: excluded from search by default).</summary>
    Task<SemanticMemory> ArchiveMemoryAsync(string memoryId, string? supersededBy = null, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a memory: its text, embedding and metadata are removed from storage; its history keeps the deletion.</summary>
    /// <returns>Whether the memory existed.</returns>
    Task<bool> DeleteMemoryAsync(string memoryId, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Memories oldest first, from <paramref name="offset"/>, at most <paramref name="limit"/>.</summary>
    Task<MemoryPage> ListMemoriesAsync(int offset = 0, int limit = 100, bool includeArchived = false, CancellationToken cancellationToken = default);

    /// <summary>Every add / duplicate / update / archive / delete / conflict event of a memory, oldest first.</summary>
    Task<IReadOnlyList<MemoryHistoryEvent>> GetHistoryAsync(string memoryId, CancellationToken cancellationToken = default);

    /// <summary>Conflicts waiting for a decision, most important first (the mean importance of the two memories), ties
    /// oldest first.</summary>
    Task<IReadOnlyList<MemoryConflict>> GetPendingConflictsAsync(CancellationToken cancellationToken = default);

    /// <summary>Conflicts with the given status, or all: pending ones in the order of <see cref="GetPendingConflictsAsync"/>,
    /// otherwise in the order they were detected.</summary>
    Task<IReadOnlyList<MemoryConflict>> GetConflictsAsync(ConflictStatus? status = null, CancellationToken cancellationToken = default);

    /// <summary>Resolves a pending or escalated conflict; archives the loser. With <paramref name="idempotencyKey"/> (see
    /// <see cref="IdempotencyKeys"/>), a retry of a resolution that was applied answers with the resolved conflict
    /// instead of "already resolved" (the resolved conflict is the record of the resolution, stored in the same write),
    /// and a different resolution of an already resolved conflict is an <see cref="IdempotencyKeyReusedException"/>.</summary>
    Task<MemoryConflict> ResolveConflictAsync(string conflictId, ConflictResolution resolution, string? idempotencyKey = null,
        CancellationToken cancellationToken = default);

    /// <summary>Escalates a pending conflict.</summary>
    Task<MemoryConflict> EscalateConflictAsync(string conflictId, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Adds messages to the short-term FIFO; the oldest beyond the capacity are dropped.</summary>
    Task AddShortTermMessagesAsync(IReadOnlyList<ShortTermMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>The most recent <paramref name="count"/> short-term messages (all when null), oldest first.</summary>
    Task<IReadOnlyList<ShortTermMessage>> GetShortTermMessagesAsync(int? count = null, CancellationToken cancellationToken = default);

    /// <summary>Empties short-term memory.</summary>
    Task ClearShortTermAsync(CancellationToken cancellationToken = default);

    /// <summary>Sets this user's short-term capacity (1..10,000), dropping the oldest messages beyond it.</summary>
    Task SetShortTermCapacityAsync(int maxMessages, CancellationToken cancellationToken = default);

    /// <summary>This user's retention limits (its own settings over the silo's defaults, as applied).</summary>
    Task<RetentionSettings> GetRetentionAsync(CancellationToken cancellationToken = default);

    /// <summary>Sets this user's retention limits (null fields take the silo's defaults) and applies them at once.</summary>
    Task<RetentionSettings> SetRetentionAsync(RetentionSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Figures of this user.</summary>
    Task<UserMemoryStats> GetStatsAsync(CancellationToken cancellationToken = default);

    /// <summary>Erases every record of this user: memories, embeddings, conflicts, history, short-term, every page.</summary>
    Task DeleteAllDataAsync(CancellationToken cancellationToken = default);
}
