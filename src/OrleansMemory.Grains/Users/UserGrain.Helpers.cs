using System.Text;
using Microsoft.Extensions.AI;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Users;

/// <summary>Helpers of the user grain: embeddings, the memory log and matrix, history, filters.</summary>
public sealed partial class UserGrain
{
    private int RowOf(string memoryId)
    {
        Guard.Id(memoryId, nameof(memoryId), Options);
        return _memoryIndex.TryGetValue(memoryId, out var row)
            ? row
            : throw new MemoryNotFoundException($"Memory '{memoryId}' does not exist for this user.");
    }

    private async Task<float[]> NormalizedEmbeddingAsync(float[]? embedding, string text, string paramName, CancellationToken cancellationToken)
    {
        if (embedding is null)
        {
            if (_generator is null)
            {
                throw new MemoryValidationException(
                    $"{paramName} is required: this silo embeds no text (no IEmbeddingGenerator<string, Embedding<float>> is registered; " +
                    "the OrleansMemory silo sets one with OrleansMemory:Embeddings:Provider = local or openai).", paramName);
            }

            CheckEmbeddingSource(generated: true, paramName);
            embedding = (await _generator.GenerateVectorAsync(text, cancellationToken: cancellationToken)).ToArray();
        }
        else
        {
            CheckEmbeddingSource(generated: EmbeddedBySilo, paramName);
        }

        return EmbeddingInput.Normalize(embedding, _matrix.Dimension, Options.MaxEmbeddingDimension, paramName);
    }

    /// <summary>Appends memories to the log and the matrix; fixes the dimension with the first one. Returns the first row.</summary>
    private async Task<int> AppendMemoriesAsync(IReadOnlyList<(SemanticMemory Memory, float[] Vector)> memories, IReadOnlyList<List<IdempotencyRecord>?>? keys = null)
    {
        if (memories.Count == 0)
        {
            return _matrix.Count;
        }

        if (_memoryLog.Count == 0)
        {
            await _memoryLog.UsePageSizeIfNewAsync(MemoryPageSizeFor(memories[0].Vector.Length));
        }

        if (_profile.State.Dimension == 0)
        {
            _profile.State.Dimension = memories[0].Vector.Length;
            _profile.State.EmbeddingModel = _pendingEmbeddingSource;
            _profile.State.EmbeddingPipeline = PipelineOf(_pendingEmbeddingSource);
            await _profile.WriteAsync();
        }

        await _memoryLog.AppendAsync([.. memories.Select((m, i) => new StoredMemory(m.Memory.Id, m.Memory, EmbeddingMatrix.Encode(m.Vector), keys?[i]))]);
        using var writing = Writing();
        _matrix.Reserve(memories[0].Vector.Length, _matrix.Count + memories.Count);
        var first = _matrix.Count;
        foreach (var (memory, vector) in memories)
        {
            var row = _matrix.Add(vector, RowState.Live);
            _memories.Add(memory);
            _memoryIndex[memory.Id] = row;
            SetKeys(row, keys?[row - first]);
        }

        return first;
    }

    /// <summary>Memories per page for a new log of this dimension: what fits in <see cref="MemoryGrainOptions.MemoryPageBytes"/>
    /// at the base64 of the float32 embedding plus about 600 bytes of memory record, at most
    /// <see cref="MemoryGrainOptions.MemoryPageSize"/>.</summary>
    private int MemoryPageSizeFor(int dimension) =>
        Math.Clamp(Options.MemoryPageBytes / ((dimension * sizeof(float) * 4 / 3) + 600), 1, Options.MemoryPageSize);

    /// <summary>Writes a changed memory (and optionally a new embedding) to its page and to memory.</summary>
    private async Task SaveMemoryAsync(int row, SemanticMemory memory, float[]? vector = null, IdempotencyRecord? key = null)
    {
        var embedding = vector ?? _matrix.Row(row).ToArray();
        var keys = KeysWith(row, key);
        await _memoryLog.SetAsync(row, new StoredMemory(memory.Id, memory, EmbeddingMatrix.Encode(embedding), keys));
        SetKeys(row, keys);
        using var writing = Writing();
        _memories[row] = memory;
        if (vector is not null)
        {
            _matrix.Set(row, vector);
        }

        _matrix.SetState(row, memory.IsArchived ? RowState.Archived : RowState.Live);
    }

    private async Task<SemanticMemory> ArchiveRowAsync(int row, string? supersededBy, string reason, List<MemoryHistoryEvent> events)
    {
        var now = Now;
        var current = _memories[row]!;
        var archived = current with { IsArchived = true, SupersededBy = supersededBy ?? current.SupersededBy, ArchivedAt = now, UpdatedAt = now };
        await SaveMemoryAsync(row, archived);
        events.Add(new MemoryHistoryEvent(current.Id, MemoryEventKind.Archived, now, reason, RelatedMemoryId: supersededBy));
        return archived;
    }

    private async Task AddHistoryAsync(IReadOnlyList<MemoryHistoryEvent> events)
    {
        await _historyLog.AppendAsync(events);
        foreach (var e in events)
        {
            AddHistoryInMemory(e);
        }
    }

    /// <summary>History is read on first use, not on activation: only <see cref="GetHistoryAsync"/> needs it, and a
    /// user with many memories has several events per memory.</summary>
    private async Task EnsureHistoryLoadedAsync()
    {
        if (_historyLoaded)
        {
            return;
        }

        var events = await _historyLog.ReadAllAsync(Options.StorageReadAhead);
        if (_historyLoaded)
        {
            return; // loaded by an interleaved call meanwhile
        }

        _history.Clear();
        _historyLoaded = true;
        foreach (var e in events)
        {
            AddHistoryInMemory(e);
        }
    }

    private void AddHistoryInMemory(MemoryHistoryEvent e)
    {
        if (!_historyLoaded)
        {
            return; // in the log; read with the rest on first use
        }

        if (!_history.TryGetValue(e.MemoryId, out var list))
        {
            _history[e.MemoryId] = list = [];
        }

        list.Add(e);
    }

    /// <summary>The part of a filter that the row columns cannot answer (metadata), as a test of a row; the rest is the
    /// mask from <see cref="MemoryRows.RentMask"/>. Validates the filter.</summary>
    private Func<int, bool>? CompileFilter(MemoryFilter? filter)
    {
        if (filter is null)
        {
            return null;
        }

        if (filter.MinImportance is { } min)
        {
            Guard.UnitInterval(min, "filter.MinImportance");
        }

        Guard.Metadata(filter.Metadata, "filter.Metadata", Options);
        if (filter.Types is { } filterTypes)
        {
            Guard.Items(filterTypes, "filter.Types", Options);
            if (filterTypes.Count > Options.MaxFilterItems)
            {
                throw new MemoryValidationException($"filter.Types has {filterTypes.Count} entries; the limit is {Options.MaxFilterItems}.", "filter.Types");
            }
        }

        var wanted = filter.Metadata?.Where(m => !MemoryRows.MaskDecides(m.Value)).ToArray() ?? [];
        if (wanted.Length == 0)
        {
            return null;
        }

        var keys = wanted.Select(w => (Utf8Key: Encoding.UTF8.GetBytes(w.Key), w.Value)).ToArray();
        return row => keys.All(w => _memories.HasMetadata(row, w.Utf8Key, w.Value));
    }
}
