namespace OrleansMemory.Grains;

/// <summary>Limits, thresholds, page sizes and the storage provider of the memory grains.</summary>
public sealed class MemoryGrainOptions
{
    /// <summary>The name of the grain storage provider the memory grains keep their records in.</summary>
    public string StorageProviderName { get; set; } = Orleans.Providers.ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME;

    /// <summary>The largest conversation document, in UTF-8 bytes of its JSON.</summary>
    public int MaxDocumentBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>The longest id (message, memory, chunk, conversation, chain), in characters.</summary>
    public int MaxIdLength { get; set; } = 256;

    /// <summary>The longest raw message content, in characters.</summary>
    public int MaxMessageLength { get; set; } = 1_000_000;

    /// <summary>The longest memory text (semantic memory, formation record, short-term message, reasoning step), in characters.</summary>
    public int MaxMemoryTextLength { get; set; } = 100_000;

    /// <summary>The largest metadata object (memory, message, chunk, record, chain), in UTF-8 bytes of its JSON.</summary>
    public int MaxMetadataBytes { get; set; } = 16 * 1024;

    /// <summary>The most entries in one metadata object.</summary>
    public int MaxMetadataEntries { get; set; } = 64;

    /// <summary>The longest metadata key, in characters.</summary>
    public int MaxMetadataKeyLength { get; set; } = 128;

    /// <summary>The longest reason, goal or other short free text (archive, delete, update, resolution, escalation), in characters.</summary>
    public int MaxReasonLength { get; set; } = 4096;

    /// <summary>The largest free JSON value other than a conversation document (cache value, chunk content, tool
    /// arguments and results), in UTF-8 bytes.</summary>
    public int MaxValueBytes { get; set; } = 1024 * 1024;

    /// <summary>The most entries in a search filter's lists (memory types).</summary>
    public int MaxFilterItems { get; set; } = 64;

    /// <summary>Quotas per user and per conversation, by tenant (the part of the grain key before <c>/</c>).</summary>
    public MemoryQuotaOptions Quotas { get; set; } = new();

    /// <summary>The most items one call may append or replace.</summary>
    public int MaxItemsPerCall { get; set; } = 10_000;

    /// <summary>The largest embedding dimension accepted.</summary>
    public int MaxEmbeddingDimension { get; set; } = 8192;

    /// <summary>Raw messages per page record.</summary>
    public int MessagePageSize { get; set; } = 100;

    /// <summary>Reasoning chains per page record.</summary>
    public int ChainPageSize { get; set; } = 50;

    /// <summary>The most semantic memories (with their binary embeddings) per page record.</summary>
    public int MemoryPageSize { get; set; } = 64;

    /// <summary>About how many bytes a page of a new user's memory log may hold: when the first memory fixes the
    /// dimension, the page size becomes the fewer of <see cref="MemoryPageSize"/> and what fits in this many bytes, and
    /// stays so for that user. The default (1 MiB) leaves 64 memories per page up to about 4,000 dimensions. Smaller
    /// pages make each add cheaper (it rewrites the tail page; under 85,000 bytes it also stays off the large object
    /// heap) but cost one storage read each on activation: with 64 KiB pages (24 memories at 384 dimensions, 7 at
    /// 1,536) activating 100,000 memories on PostgreSQL took 2-3x as long (bench/README.md).</summary>
    public int MemoryPageBytes { get; set; } = 1024 * 1024;

    /// <summary>Memory formation records, conflicts, history events and directory entries per page record.</summary>
    public int RecordPageSize { get; set; } = 200;

    /// <summary>How many pages of a long log an activating grain reads at once (1 = one after the other). Several in
    /// flight hide a database's round trips; each costs a page of memory while it waits.</summary>
    public int StorageReadAhead { get; set; } = 8;

    /// <summary>How many candidates from the int8 scan of a search are re-ranked with their exact float32 embeddings
    /// (at least twice top-k is used). More raise recall further at a small cost; users with fewer than 2,048
    /// memories are always scanned exactly.</summary>
    public int SearchCandidates { get; set; } = 100;

    /// <summary>Similarity of the silo's own embeddings at or above which a new memory may be a duplicate of an existing
    /// one (it is one only when their texts also agree: <see cref="TextAgreement"/>). The silo sets the local model's
    /// calibrated value.</summary>
    public double DuplicateThreshold { get; set; } = 0.95;

    /// <summary>Similarity of the silo's own embeddings at or above which (and below <see cref="DuplicateThreshold"/>)
    /// the classifier checks for a conflict. The silo sets the local model's calibrated value.</summary>
    public double ConflictThreshold { get; set; } = 0.8;

    /// <summary>The thresholds for embeddings that callers send with their text (a model nobody calibrated here).</summary>
    public SimilarityThresholdOptions CallerEmbeddings { get; set; } = new();

    /// <summary>The most similar existing memories the classifier is asked about per added memory.</summary>
    public int MaxConflictCandidates { get; set; } = 5;

    /// <summary>The most pending conflicts one added memory opens (with the most similar memories it contradicts); a
    /// memory already in a pending conflict gets no second one. Supersessions in singleton categories are not limited.</summary>
    public int MaxPendingConflictsPerMemory { get; set; } = 2;

    /// <summary>In a singleton category, a newer memory at least as important supersedes the older one (auto-resolved).</summary>
    public bool AutoResolveSingletonConflicts { get; set; } = true;

    /// <summary>Conflicts pending longer than this escalate by themselves.</summary>
    public TimeSpan ConflictEscalationAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often an active user grain looks for conflicts to escalate.</summary>
    public TimeSpan EscalationCheckPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Default short-term memory capacity per user (each user may set its own).</summary>
    public int ShortTermMaxMessages { get; set; } = 20;

    /// <summary>The default retention limits of every user (each user may set its own with
    /// <c>IUserGrain.SetRetentionAsync</c>).</summary>
    public MemoryRetentionOptions Retention { get; set; } = new();

    /// <summary>The largest token budget <c>GetMemoryContextAsync</c> accepts.</summary>
    public int MaxContextTokens { get; set; } = 1_000_000;

    /// <summary>How long a write's idempotency key is remembered at least: a retry with the same key within this window
    /// answers with the first outcome and stores nothing (docs/http-api.md, Idempotency-Key). A memory add's key lives as
    /// long as the memory it stored or merged into (on that memory's record), at most
    /// <see cref="MaxIdempotencyKeys"/> per memory.</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The most idempotency keys one record keeps (a cache entry, a state value, an agent, a memory, a
    /// conflict); beyond it the oldest are forgotten first, even within <see cref="IdempotencyWindow"/>.</summary>
    public int MaxIdempotencyKeys { get; set; } = 100;

    /// <summary>Background memory formation by conversations.</summary>
    public MemoryFormationOptions Formation { get; set; } = new();
}
