using Microsoft.Extensions.Logging;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Users;

/// <summary>Conflict detection, resolution and escalation.</summary>
public sealed partial class UserGrain
{
    private readonly List<MemoryConflict> _conflicts = [];
    private readonly Dictionary<string, int> _conflictIndex = new(StringComparer.Ordinal);

    /// <summary>How many pending conflicts each memory is in, kept as <see cref="_conflicts"/> changes: an add asks it
    /// about each similar memory, and building it from every conflict per add grew with the user (thousands of conflicts).</summary>
    private readonly Dictionary<string, int> _pendingConflictsOf = new(StringComparer.Ordinal);

    /// <inheritdoc />
    /// <remarks>Most important first (the mean importance of the two memories), ties oldest first.</remarks>
    public Task<IReadOnlyList<MemoryConflict>> GetPendingConflictsAsync(CancellationToken cancellationToken = default) =>
        GetConflictsAsync(ConflictStatus.Pending, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<MemoryConflict>> GetConflictsAsync(ConflictStatus? status = null, CancellationToken cancellationToken = default)
    {
        if (status is { } s && !Enum.IsDefined(s))
        {
            throw new MemoryValidationException($"{(int)s} is not a conflict status.", nameof(status));
        }

        var matching = _conflicts.Where(c => status is null || c.Status == status);
        return Task.FromResult<IReadOnlyList<MemoryConflict>>(status == ConflictStatus.Pending
            ? [.. matching.OrderByDescending(c => c.AverageImportance).ThenBy(c => c.CreatedAt)]
            : [.. matching]);
    }

    /// <inheritdoc />
    public async Task<MemoryConflict> ResolveConflictAsync(string conflictId, ConflictResolution resolution, string? idempotencyKey = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        var keyed = Idempotency.HashKey(idempotencyKey) is not null;
        var index = ConflictIndexOf(conflictId);
        var conflict = _conflicts[index];
        if (keyed && conflict.Status == ConflictStatus.Resolved)
        {
            return conflict.Resolution == resolution.Kind ? conflict : throw new IdempotencyKeyReusedException(
                $"Conflict '{conflictId}' was resolved with {conflict.Resolution}, not {resolution.Kind}: a retry must send the same resolution. Nothing was changed.");
        }

        if (conflict.Status is not (ConflictStatus.Pending or ConflictStatus.Escalated))
        {
            throw new MemoryValidationException($"Conflict '{conflictId}' is already {conflict.Status}.", nameof(conflictId));
        }

        if (!Enum.IsDefined(resolution.Kind))
        {
            throw new MemoryValidationException($"{(int)resolution.Kind} is not a resolution.", nameof(resolution));
        }

        Guard.Reason(resolution.Reason, "resolution.Reason", Options);
        var reason = resolution.Reason ?? $"Conflict {conflictId} resolved: {resolution.Kind}.";
        List<MemoryHistoryEvent> events = [];
        switch (resolution.Kind)
        {
            case ConflictResolutionKind.KeepA:
                await ArchiveIfLiveAsync(conflict.MemoryBId, conflict.MemoryAId, reason, events);
                break;
            case ConflictResolutionKind.KeepB:
                await ArchiveIfLiveAsync(conflict.MemoryAId, conflict.MemoryBId, reason, events);
                break;
            case ConflictResolutionKind.Merge:
                await MergeAsync(conflict, resolution, reason, events, cancellationToken);
                break;
            default:
                break;
        }

        var now = Now;
        var resolved = conflict with { Status = ConflictStatus.Resolved, ResolvedAt = now, Resolution = resolution.Kind };
        await _conflictLog.SetAsync(_conflictBase + index, resolved);
        SetConflict(index, resolved);
        events.Add(new MemoryHistoryEvent(conflict.MemoryAId, MemoryEventKind.ConflictResolved, now, reason, conflictId, conflict.MemoryBId));
        events.Add(new MemoryHistoryEvent(conflict.MemoryBId, MemoryEventKind.ConflictResolved, now, reason, conflictId, conflict.MemoryAId));
        await AddHistoryAsync(events);
        return resolved;
    }

    /// <inheritdoc />
    public async Task<MemoryConflict> EscalateConflictAsync(string conflictId, string? reason = null, CancellationToken cancellationToken = default)
    {
        var index = ConflictIndexOf(conflictId);
        Guard.Reason(reason, nameof(reason), Options);
        if (_conflicts[index].Status != ConflictStatus.Pending)
        {
            throw new MemoryValidationException($"Conflict '{conflictId}' is {_conflicts[index].Status}; only pending conflicts escalate.", nameof(conflictId));
        }

        List<MemoryHistoryEvent> events = [];
        var escalated = await EscalateAtAsync(index, reason ?? "Escalated by a caller.", events);
        await AddHistoryAsync(events);
        return escalated;
    }

    private async Task LoadConflictsAsync()
    {
        _conflicts.AddRange(await _conflictLog.ReadAllAsync(Options.StorageReadAhead));
        _conflictBase = _conflictLog.First;
        for (var i = 0; i < _conflicts.Count; i++)
        {
            _conflictIndex[_conflicts[i].Id] = i;
            CountPending(_conflicts[i], 1);
        }
    }

    /// <summary>Asks the classifier about the similar memories (<paramref name="nearest"/>: its verdict on the first one,
    /// when already asked) and decides which conflicts a new memory opens and which older singleton values it supersedes
    /// (when the policy allows), writing nothing: <see cref="RecordConflictsAsync"/> records them. A memory as similar as a
    /// duplicate reaches here only when the classifier sees a conflict with it.</summary>
    private async Task<List<ConflictPlan>> PlanConflictsAsync(SemanticMemory memory, List<(int Row, float Score)> similar,
        ConflictClassification? nearest, CancellationToken cancellationToken)
    {
        var plan = new List<ConflictPlan>();
        var opened = 0;
        foreach (var (row, score) in similar.Take(Options.MaxConflictCandidates))
        {
            if (_memories[row] is not { IsArchived: false } existing)
            {
                continue;
            }

            // Most similar first; past MaxPendingConflictsPerMemory, or where the older memory is already in a pending
            // conflict, only a supersession (singleton category) still applies: a conflict per similar memory buries
            // the ones a user should answer.
            var mayOpen = opened < Options.MaxPendingConflictsPerMemory && !_pendingConflictsOf.ContainsKey(existing.Id);
            var singletonOnly = !mayOpen;
            if (singletonOnly && !(Options.AutoResolveSingletonConflicts && memory.Importance >= existing.Importance))
            {
                continue;
            }

            var verdict = nearest is not null && row == similar[0].Row ? nearest
                : await _classifier.ClassifyAsync(new ConflictCandidate(existing.Text, memory.Text, score, existing.Type, memory.Type), cancellationToken);
            if (!verdict.IsConflict)
            {
                continue;
            }

            var auto = verdict.IsSingletonCategory && Options.AutoResolveSingletonConflicts && memory.Importance >= existing.Importance;
            if (!auto && singletonOnly)
            {
                continue;
            }

            opened += auto ? 0 : 1;
            plan.Add(new ConflictPlan(row, existing, score, verdict, auto));
        }

        return plan;
    }

    /// <summary>Records the conflicts <see cref="PlanConflictsAsync"/> decided on (after the new memory is stored):
    /// supersedes the older singleton values, appends the conflicts and their history events to <paramref name="events"/>.</summary>
    private async Task<List<MemoryConflict>> RecordConflictsAsync(SemanticMemory memory, List<ConflictPlan> plan, List<MemoryHistoryEvent> events)
    {
        var conflicts = new List<MemoryConflict>();
        foreach (var (row, existing, score, verdict, auto) in plan)
        {
            var now = Now;
            var conflict = new MemoryConflict(NewId(), UserId, existing.Id, memory.Id, verdict.Category, score,
                (existing.Importance + memory.Importance) / 2, verdict.ClarificationHint, verdict.IsSingletonCategory,
                auto ? ConflictStatus.AutoResolved : ConflictStatus.Pending, now, auto ? now : null, verdict.Explanation,
                auto ? ConflictResolutionKind.KeepB : null);
            events.Add(new MemoryHistoryEvent(existing.Id, MemoryEventKind.ConflictDetected, now, verdict.Explanation, conflict.Id, memory.Id));
            events.Add(new MemoryHistoryEvent(memory.Id, MemoryEventKind.ConflictDetected, now, verdict.Explanation, conflict.Id, existing.Id));
            if (auto)
            {
                var reason = $"Superseded by a newer, at least as important {verdict.Category} memory (auto-resolved).";
                await ArchiveRowAsync(row, memory.Id, reason, events);
                events.Add(new MemoryHistoryEvent(existing.Id, MemoryEventKind.ConflictResolved, now, reason, conflict.Id, memory.Id));
                events.Add(new MemoryHistoryEvent(memory.Id, MemoryEventKind.ConflictResolved, now, reason, conflict.Id, existing.Id));
            }

            LogInformationConflict(_logger, LogId.Of(UserId), conflict.Id, verdict.Category, conflict.Status);
            conflicts.Add(conflict);
        }

        await _conflictLog.AppendAsync(conflicts);
        foreach (var conflict in conflicts)
        {
            _conflictIndex[conflict.Id] = _conflicts.Count;
            _conflicts.Add(conflict);
            CountPending(conflict, 1);
        }

        return conflicts;
    }

    /// <summary>A conflict a new memory opens with the memory in <paramref name="Row"/> (or, <paramref name="Auto"/>, a
    /// supersession of it).</summary>
    private readonly record struct ConflictPlan(int Row, SemanticMemory Existing, float Score, ConflictClassification Verdict, bool Auto);

    /// <summary>Puts <paramref name="conflict"/> in place of the conflict at <paramref name="index"/>.</summary>
    private void SetConflict(int index, MemoryConflict conflict)
    {
        CountPending(_conflicts[index], -1);
        _conflicts[index] = conflict;
        CountPending(conflict, 1);
    }

    /// <summary>Counts <paramref name="conflict"/> in (<paramref name="delta"/> 1) or out (-1) of
    /// <see cref="_pendingConflictsOf"/> when it is pending.</summary>
    private void CountPending(MemoryConflict conflict, int delta)
    {
        if (conflict.Status != ConflictStatus.Pending)
        {
            return;
        }

        foreach (var id in (ReadOnlySpan<string>)[conflict.MemoryAId, conflict.MemoryBId])
        {
            var count = _pendingConflictsOf.GetValueOrDefault(id) + delta;
            if (count > 0)
            {
                _pendingConflictsOf[id] = count;
            }
            else
            {
                _pendingConflictsOf.Remove(id);
            }
        }
    }

    private async Task ArchiveIfLiveAsync(string memoryId, string supersededBy, string reason, List<MemoryHistoryEvent> events)
    {
        if (_memoryIndex.TryGetValue(memoryId, out var row) && _memories[row] is { IsArchived: false })
        {
            await ArchiveRowAsync(row, supersededBy, reason, events);
        }
    }

    private async Task MergeAsync(MemoryConflict conflict, ConflictResolution resolution, string reason, List<MemoryHistoryEvent> events,
        CancellationToken cancellationToken)
    {
        var text = Guard.Text(resolution.MergedText, Options.MaxMemoryTextLength, "resolution.MergedText");
        _memoryIndex.TryGetValue(conflict.MemoryAId, out var rowA);
        _memoryIndex.TryGetValue(conflict.MemoryBId, out var rowB);
        var a = _memoryIndex.ContainsKey(conflict.MemoryAId) ? _memories[rowA] : null;
        var b = _memoryIndex.ContainsKey(conflict.MemoryBId) ? _memories[rowB] : null;
        float[] vector;
        if (resolution.MergedEmbedding is not null || EmbedsTextItself)
        {
            vector = await NormalizedEmbeddingAsync(resolution.MergedEmbedding, text, "resolution.MergedEmbedding", cancellationToken);
        }
        else
        {
            var mean = new float[_matrix.Dimension];
            foreach (var row in new[] { a is null ? -1 : rowA, b is null ? -1 : rowB }.Where(r => r >= 0))
            {
                System.Numerics.Tensors.TensorPrimitives.Add(mean, _matrix.Row(row), mean);
            }

            vector = EmbeddingInput.Normalize(mean, _matrix.Dimension, Options.MaxEmbeddingDimension, "resolution.MergedEmbedding");
        }

        var now = Now;
        var merged = new SemanticMemory(NewId(), text, a?.Type ?? b?.Type ?? MemoryTypes.Fact, Math.Max(a?.Importance ?? 0, b?.Importance ?? 0),
            a?.Metadata ?? b?.Metadata, now, now, now, 1);
        await AppendWithinQuotaAsync([(merged, vector)]);
        events.Add(new MemoryHistoryEvent(merged.Id, MemoryEventKind.Added, now, $"Merged from {conflict.MemoryAId} and {conflict.MemoryBId}.", conflict.Id));
        await ArchiveIfLiveAsync(conflict.MemoryAId, merged.Id, reason, events);
        await ArchiveIfLiveAsync(conflict.MemoryBId, merged.Id, reason, events);
    }

    /// <summary>Closes open conflicts that involve a deleted memory (the other memory wins) and scrubs the deleted
    /// memory's words from every conflict that involves it: hints and explanations quote the texts.</summary>
    private async Task CloseConflictsOfDeletedAsync(string memoryId, List<MemoryHistoryEvent> events)
    {
        var now = Now;
        for (var i = 0; i < _conflicts.Count; i++)
        {
            var c = _conflicts[i];
            if (c.MemoryAId != memoryId && c.MemoryBId != memoryId)
            {
                continue;
            }

            var open = c.Status is ConflictStatus.Pending or ConflictStatus.Escalated;
            var closed = c with
            {
                Status = open ? ConflictStatus.Resolved : c.Status,
                ResolvedAt = open ? now : c.ResolvedAt,
                Resolution = !open ? c.Resolution : c.MemoryAId == memoryId ? ConflictResolutionKind.KeepB : ConflictResolutionKind.KeepA,
                ClarificationHint = string.Empty,
                Explanation = $"Memory {memoryId} was deleted; its text is no longer kept here.",
            };
            await _conflictLog.SetAsync(_conflictBase + i, closed);
            await _conflictLog.EraseEarlierVersionsAsync(_conflictBase + i);
            SetConflict(i, closed);
            if (open)
            {
                var other = c.MemoryAId == memoryId ? c.MemoryBId : c.MemoryAId;
                events.Add(new MemoryHistoryEvent(other, MemoryEventKind.ConflictResolved, now, $"The conflicting memory {memoryId} was deleted.", c.Id, memoryId));
            }
        }
    }

    /// <summary>Escalates conflicts pending longer than <see cref="MemoryGrainOptions.ConflictEscalationAge"/>.</summary>
    private async Task EscalateOverdueAsync()
    {
        var cutoff = Now - Options.ConflictEscalationAge;
        List<MemoryHistoryEvent> events = [];
        for (var i = 0; i < _conflicts.Count; i++)
        {
            if (_conflicts[i].Status == ConflictStatus.Pending && _conflicts[i].CreatedAt <= cutoff)
            {
                await EscalateAtAsync(i, $"Pending longer than {Options.ConflictEscalationAge}.", events);
            }
        }

        await AddHistoryAsync(events);
    }

    private async Task<MemoryConflict> EscalateAtAsync(int index, string reason, List<MemoryHistoryEvent> events)
    {
        var now = Now;
        var c = _conflicts[index];
        var escalated = c with { Status = ConflictStatus.Escalated, EscalatedAt = now };
        await _conflictLog.SetAsync(_conflictBase + index, escalated);
        SetConflict(index, escalated);
        events.Add(new MemoryHistoryEvent(c.MemoryAId, MemoryEventKind.ConflictEscalated, now, reason, c.Id, c.MemoryBId));
        events.Add(new MemoryHistoryEvent(c.MemoryBId, MemoryEventKind.ConflictEscalated, now, reason, c.Id, c.MemoryAId));
        LogInformationEscalated(_logger, LogId.Of(UserId), c.Id);
        return escalated;
    }

    private int ConflictIndexOf(string conflictId)
    {
        Guard.Id(conflictId, nameof(conflictId), Options);
        return _conflictIndex.TryGetValue(conflictId, out var index)
            ? index
            : throw new MemoryNotFoundException($"Conflict '{conflictId}' does not exist for this user.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserHash}: conflict {ConflictId} ({Category}) recorded as {Status}")]
    private static partial void LogInformationConflict(ILogger logger, string userHash, string conflictId, string category, ConflictStatus status);

    // The reason is not logged: it can be the caller's text (logs at Information and above carry no user content).
    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserHash}: conflict {ConflictId} escalated")]
    private static partial void LogInformationEscalated(ILogger logger, string userHash, string conflictId);
}
