using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansMemory.Abstractions;
using OrleansMemory.Grains.Storage;

namespace OrleansMemory.Grains.Users;

/// <summary>A user: semantic memories (paged log <c>memories</c> with binary embeddings, held as one contiguous matrix and compact rows, see <see cref="MemoryRows"/>),
/// conflicts (paged log <c>conflicts</c>), history (paged log <c>history</c>), short-term FIFO (state <c>short_term</c>)
/// and a small head (state <c>profile</c>).</summary>
[GrainType("user")]
public sealed partial class UserGrain : MemoryGrainBase, IUserGrain
{
    private const int MaxTypeLength = 64;
    private readonly IMemoryClassifier _classifier;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _generator;
    private readonly ILogger<UserGrain> _logger;
    private readonly StateRecord<UserProfileState> _profile;
    private readonly PagedLog<StoredMemory> _memoryLog;
    private readonly PagedLog<MemoryConflict> _conflictLog;
    private readonly PagedLog<MemoryHistoryEvent> _historyLog;
    private readonly StateRecord<ShortTermState> _shortTerm;
    private readonly EmbeddingMatrix _matrix = new();
    private readonly MemoryRows _memories = new();
    private readonly MemoryIdIndex _memoryIndex = new();
    private readonly Dictionary<string, List<MemoryHistoryEvent>> _history = new(StringComparer.Ordinal);
    private bool _historyLoaded;
    private IGrainTimer? _escalationTimer;

    /// <summary>Creates the grain.</summary>
    public UserGrain(IOptions<MemoryGrainOptions> options, IMemoryClassifier classifier, ILogger<UserGrain> logger,
        IEmbeddingGenerator<string, Embedding<float>>? generator = null) : base(options)
    {
        _classifier = classifier;
        _generator = generator;
        _logger = logger;
        _profile = Record<UserProfileState>("profile");
        _shortTerm = Record<ShortTermState>("short_term");
        _memoryLog = Log<StoredMemory>("memories", Options.MemoryPageSize);
        _conflictLog = Log<MemoryConflict>("conflicts", Options.RecordPageSize);
        _historyLog = Log<MemoryHistoryEvent>("history", Options.RecordPageSize);
    }

    private string UserId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await _profile.ReadAsync();
        if (_profile.State.Erasing)
        {
            await EraseAllAsync(); // an erasure a crash interrupted
            return;
        }

        await _shortTerm.ReadAsync();
        await LoadMemoriesAsync();

        await LoadConflictsAsync();
        await EscalateOverdueAsync();
        await ApplyRetentionAsync();
        _escalationTimer = this.RegisterGrainTimer(_ => PeriodicAsync(), Options.EscalationCheckPeriod, Options.EscalationCheckPeriod);
        SketchBetweenCalls();
    }

    /// <summary>Drops this activation's search hits from the silo-wide cache: they would only take room from live users.</summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _memories.ForgetHits();
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <inheritdoc />
    public Task<AddMemoryResult> AddMemoryAsync(string text, float[]? embedding = null, string type = MemoryTypes.Fact, double importance = 0.5,
        IReadOnlyDictionary<string, JsonElement>? metadata = null, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        StoreTogetherAsync(() => AddAsync(text, embedding, type, importance, metadata, idempotencyKey, cancellationToken));

    private async Task<AddMemoryResult> AddAsync(string text, float[]? embedding, string type, double importance,
        IReadOnlyDictionary<string, JsonElement>? metadata, string? idempotencyKey, CancellationToken cancellationToken)
    {
        Guard.Text(text, Options.MaxMemoryTextLength, nameof(text));
        Guard.Text(type, MaxTypeLength, nameof(type));
        Guard.UnitInterval(importance, nameof(importance));
        Guard.Metadata(metadata, nameof(metadata), Options);
        IdempotencyRecord? key = null;
        if (Idempotency.HashKey(idempotencyKey) is { } hash)
        {
            var request = Idempotency.Fingerprint("add", text, embedding, type, importance, metadata);
            if (FindKeyed(hash, request) is [var first, ..])
            {
                return Replay(first.Row, first.Record);
            }

            key = new IdempotencyRecord(hash, request, Now);
        }

        return await AddCheckedAsync(text, embedding, type, importance, metadata, null, cancellationToken, key);
    }

    /// <summary>Adds a validated memory (<paramref name="formed"/>: a conversation formed it; its id, source and a
    /// retried offer of it are honoured, see <see cref="AddFormedMemoriesAsync"/>), inside a group of writes
    /// (<see cref="StoreTogetherAsync"/>): the memory, its history and its conflicts are stored when the group is.</summary>
    private async Task<AddMemoryResult> AddCheckedAsync(string text, float[]? embedding, string type, double importance,
        IReadOnlyDictionary<string, JsonElement>? metadata, FormedMemory? formed, CancellationToken cancellationToken, IdempotencyRecord? key = null)
    {
        var vector = await NormalizedEmbeddingAsync(embedding, text, nameof(embedding), cancellationToken);
        var now = Now;
        var (duplicateThreshold, conflictThreshold) = SimilarityThresholds;
        var check = UserActivity.Start("user similar");
        var similar = _matrix.Count == 0
            ? []
            : _matrix.SearchAbove(vector, Options.MaxConflictCandidates + 1, (float)conflictThreshold);
        ConflictClassification? nearest = null;
        if (similar.Count > 0 && similar[0].Score >= duplicateThreshold
            && !(nearest = await ClassifyAgainstAsync(similar[0], text, type, cancellationToken)).IsConflict
            && TextAgreement.Agree(_memories[similar[0].Row]!.Text, text))
        {
            check?.Dispose();
            var (row, score) = similar[0];
            if (formed is not null && await WasFormedIntoAsync(_memories[row]!.Id, formed.MemoryId))
            {
                return new AddMemoryResult(AddMemoryOutcome.Duplicate, _memories[row]!, _memories[row]!.Id, score, []); // a retried offer
            }

            var existing = _memories[row]! with { MentionCount = _memories[row]!.MentionCount + 1, LastSeenAt = now };
            await SaveMemoryAsync(row, existing, key: AsDuplicate(key, score));
            await AddHistoryAsync([new MemoryHistoryEvent(existing.Id, MemoryEventKind.DuplicateSeen, now,
                formed is null ? $"Added again (similarity {score:F3})." : $"Formed again by a conversation (similarity {score:F3}).",
                RelatedMemoryId: formed?.MemoryId)]);
            return new AddMemoryResult(AddMemoryOutcome.Duplicate, existing, existing.Id, score, []);
        }

        var memory = new SemanticMemory(formed?.MemoryId ?? NewId(), text, type, importance, metadata, now, now, now, 1, Source: formed?.Source);
        var plan = similar.Count == 0 ? [] : await PlanConflictsAsync(memory, similar, nearest, cancellationToken);
        check?.Dispose();
        List<List<IdempotencyRecord>?>? keys = key is null ? null : [NewKeys(key)];
        List<MemoryHistoryEvent> events = [new(memory.Id, MemoryEventKind.Added, now, "Added.")];
        await AppendWithinQuotaAsync([(memory, vector)], keys);
        var conflicts = await RecordConflictsAsync(memory, plan, events);
        await AddHistoryAsync(events);
        var outcome = conflicts.Count == 0 ? AddMemoryOutcome.Added
            : conflicts.Any(c => c.Status == ConflictStatus.Pending) ? AddMemoryOutcome.AddedWithConflicts
            : AddMemoryOutcome.Superseded;
        return new AddMemoryResult(outcome, memory, null, null, conflicts);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ImportMemoriesAsync(IReadOnlyList<ImportedMemory> memories, string? idempotencyKey = null,
        CancellationToken cancellationToken = default)
    {
        Guard.Items(memories, nameof(memories), Options);
        var now = Now;
        var prepared = new List<(SemanticMemory, float[])>(memories.Count);
        var dimension = _matrix.Dimension;
        var keyHash = Idempotency.HashKey(idempotencyKey);
        var request = keyHash is null ? null : ImportFingerprint(memories);
        var done = keyHash is null ? [] : FindKeyed(keyHash, request!).ToDictionary(f => f.Record.Index, f => _memories[f.Row]!.Id);
        List<List<IdempotencyRecord>?> keys = [];
        for (var i = 0; i < memories.Count; i++)
        {
            if (done.ContainsKey(i))
            {
                continue; // stored by an earlier attempt with this key
            }

            var m = memories[i];
            var name = $"memories[{i}]";
            Guard.Text(m.Text, Options.MaxMemoryTextLength, name + ".Text");
            Guard.Text(m.Type, MaxTypeLength, name + ".Type");
            Guard.UnitInterval(m.Importance, name + ".Importance");
            Guard.Metadata(m.Metadata, name + ".Metadata", Options);
            CheckEmbeddingSource(generated: false, name + ".Embedding");
            var vector = EmbeddingInput.Normalize(m.Embedding, dimension, Options.MaxEmbeddingDimension, name + ".Embedding");
            dimension = vector.Length;
            var created = m.CreatedAt == default ? now : m.CreatedAt;
            prepared.Add((new SemanticMemory(NewId(), m.Text, m.Type, m.Importance, m.Metadata, created, now, created, 1), vector));
            keys.Add(keyHash is null ? null : [new IdempotencyRecord(keyHash, request!, now, Index: i)]);
            done[i] = prepared[^1].Item1.Id;
        }

        if (prepared.Count > 0)
        {
            await StoreTogetherAsync(async () =>
            {
                await AppendWithinQuotaAsync(prepared, keyHash is null ? null : keys);
                await AddHistoryAsync([.. prepared.Select(p => new MemoryHistoryEvent(p.Item1.Id, MemoryEventKind.Added, now, "Imported."))]);
                return true;
            });
            SketchBetweenCalls();
        }

        return [.. Enumerable.Range(0, memories.Count).Select(i => done[i])];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MemorySearchResult>> SearchAsync(float[] queryEmbedding, int topK = 10, double minScore = 0,
        MemoryFilter? filter = null, CancellationToken cancellationToken = default)
    {
        CheckEmbeddingSource(generated: false, nameof(queryEmbedding));
        return SearchSharedAsync(queryEmbedding, topK, minScore, filter);
    }

    private IReadOnlyList<MemorySearchResult> Search(float[] queryEmbedding, int topK, double minScore, MemoryFilter? filter)
    {
        Guard.Range(topK, 1, 1000, nameof(topK));
        Guard.UnitInterval(minScore, nameof(minScore));
        var accept = CompileFilter(filter);
        EmbeddingInput.Check(queryEmbedding, _matrix.Dimension, Options.MaxEmbeddingDimension, nameof(queryEmbedding));
        if (_matrix.Count == 0)
        {
            return [];
        }

        var start = Stopwatch.GetTimestamp();
        var mask = _memories.RentMask(filter);
        var query = ArrayPool<float>.Shared.Rent(queryEmbedding.Length); // a storm of searches allocates little
        try
        {
            EmbeddingMatrix.Normalize(queryEmbedding, query);
            var hits = _matrix.Search(query.AsSpan(0, queryEmbedding.Length), topK, (float)minScore, filter?.IncludeArchived ?? false, accept, mask,
                Options.SearchCandidates);
            var results = new MemorySearchResult[hits.Count];
            for (var i = 0; i < hits.Count; i++)
            {
                results[i] = new MemorySearchResult(_memories.Hit(hits[i].Row)!, hits[i].Score);
            }

            return results;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(query);
            if (mask is not null)
            {
                ArrayPool<bool>.Shared.Return(mask);
            }

            SearchMetrics.Record(start, _matrix.Count, filter is not null);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MemorySearchResult>> SearchTextAsync(string query, int topK = 10, double minScore = 0,
        MemoryFilter? filter = null, CancellationToken cancellationToken = default)
    {
        Guard.Text(query, Options.MaxMemoryTextLength, nameof(query));
        var vector = await NormalizedEmbeddingAsync(null, query, nameof(query), cancellationToken);
        return await SearchSharedAsync(vector, topK, minScore, filter);
    }

    /// <inheritdoc />
    public Task<SemanticMemory?> GetMemoryAsync(string memoryId, CancellationToken cancellationToken = default)
    {
        Guard.Id(memoryId, nameof(memoryId), Options);
        return Task.FromResult(_memoryIndex.TryGetValue(memoryId, out var row) ? _memories[row] : null);
    }

    /// <inheritdoc />
    public Task<float[]?> GetEmbeddingAsync(string memoryId, CancellationToken cancellationToken = default)
    {
        Guard.Id(memoryId, nameof(memoryId), Options);
        return Task.FromResult(_memoryIndex.TryGetValue(memoryId, out var row) ? _matrix.Row(row).ToArray() : null);
    }

    /// <inheritdoc />
    public async Task<SemanticMemory> UpdateMemoryAsync(string memoryId, MemoryUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var row = RowOf(memoryId);
        if (update.Text is not null)
        {
            Guard.Text(update.Text, Options.MaxMemoryTextLength, "update.Text");
        }

        if (update.Importance is { } importance)
        {
            Guard.UnitInterval(importance, "update.Importance");
        }

        Guard.Metadata(update.Metadata, "update.Metadata", Options);
        Guard.Reason(update.Reason, "update.Reason", Options);
        float[]? vector = null;
        if (update.Embedding is not null || (update.Text is not null && EmbedsTextItself))
        {
            vector = await NormalizedEmbeddingAsync(update.Embedding, update.Text!, "update.Embedding", cancellationToken);
        }

        var now = Now;
        var current = _memories[row]!;
        var updated = current with
        {
            Text = update.Text ?? current.Text,
            Importance = update.Importance ?? current.Importance,
            Metadata = update.Metadata ?? current.Metadata,
            UpdatedAt = now,
        };
        CheckGrowth(current, updated);
        await SaveMemoryAsync(row, updated, vector);
        ApplyGrowth(current, updated);
        await AddHistoryAsync([new MemoryHistoryEvent(memoryId, MemoryEventKind.Updated, now, update.Reason ?? "Updated.")]);
        return updated;
    }

    /// <inheritdoc />
    public async Task<SemanticMemory> ArchiveMemoryAsync(string memoryId, string? supersededBy = null, string? reason = null, CancellationToken cancellationToken = default)
    {
        var row = RowOf(memoryId);
        Guard.OptionalId(supersededBy, nameof(supersededBy), Options);
        Guard.Reason(reason, nameof(reason), Options);
        List<MemoryHistoryEvent> events = [];
        var archived = await ArchiveRowAsync(row, supersededBy, reason ?? "Archived.", events);
        await AddHistoryAsync(events);
        return archived;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteMemoryAsync(string memoryId, string? reason = null, CancellationToken cancellationToken = default)
    {
        Guard.Id(memoryId, nameof(memoryId), Options);
        Guard.Reason(reason, nameof(reason), Options);
        if (!_memoryIndex.Remove(memoryId, out var row))
        {
            return false;
        }

        await _memoryLog.SetAsync(row, new StoredMemory(memoryId, null, null));
        ForgetKeys(row);
        ReleaseUsage(_memories[row]);
        using (Writing())
        {
            _memories[row] = null;
            _matrix.SetState(row, RowState.Deleted);
        }

        List<MemoryHistoryEvent> events = [new(memoryId, MemoryEventKind.Deleted, Now, reason ?? "Deleted.")];
        await _memoryLog.EraseEarlierVersionsAsync(row);
        await CloseConflictsOfDeletedAsync(memoryId, events);
        await ScrubHistoryOfAsync(memoryId);
        await AddHistoryAsync(events);
        return true;
    }

    /// <inheritdoc />
    public Task<MemoryPage> ListMemoriesAsync(int offset = 0, int limit = 100, bool includeArchived = false, CancellationToken cancellationToken = default)
    {
        Guard.Range(offset, 0, int.MaxValue, nameof(offset));
        Guard.Range(limit, 1, Options.MaxItemsPerCall, nameof(limit));
        var (live, archived) = _memories.CountStates();
        SemanticMemory[] page = [.. _memories.Rows(includeArchived).Skip(offset).Take(limit).Select(row => _memories[row]!)];
        return Task.FromResult(new MemoryPage(page, live + (includeArchived ? archived : 0)));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MemoryHistoryEvent>> GetHistoryAsync(string memoryId, CancellationToken cancellationToken = default)
    {
        Guard.Id(memoryId, nameof(memoryId), Options);
        await EnsureHistoryLoadedAsync();
        return _history.TryGetValue(memoryId, out var events) ? events.ToArray() : [];
    }

    /// <inheritdoc />
    public Task<UserMemoryStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        var (live, archived) = _memories.CountStates();
        return Task.FromResult(new UserMemoryStats(live, archived, _matrix.Dimension,
            _conflicts.Count(c => c.Status == ConflictStatus.Pending),
            _conflicts.Count(c => c.Status == ConflictStatus.Escalated),
            _conflicts.Count(c => c.Status is ConflictStatus.Resolved or ConflictStatus.AutoResolved),
            _shortTerm.State.Messages.Count, ShortTermCapacity));
    }

    /// <inheritdoc />
    public async Task DeleteAllDataAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await EraseAllAsync();
        }
        catch
        {
            DeactivateOnIdle(); // what is in memory is no longer what is stored; the next activation finishes the erasure
            throw;
        }

        using (Writing())
        {
            _matrix.Clear();
            _memories.Clear();
        }

        _memoryIndex.Clear();
        _keyRows.Clear();
        _rowKeys.Clear();
        _history.Clear();
        _historyLoaded = false;
        _conflicts.Clear();
        _conflictIndex.Clear();
        _pendingConflictsOf.Clear();
        _usage = null;
        LogInformationErased(_logger, LogId.Of(UserId));
        DeactivateOnIdle();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Erased every record of user {UserHash}")]
    private static partial void LogInformationErased(ILogger logger, string userHash);
}
