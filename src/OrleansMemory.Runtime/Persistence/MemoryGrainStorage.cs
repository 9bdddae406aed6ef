using System.Collections.Concurrent;
using System.Globalization;

namespace OrleansMemory.Storage;

/// <summary>Keeps grain state in process memory, serialized, so a grain never shares objects with storage.
/// For tests and development: state is lost when the process exits.</summary>
public sealed class MemoryGrainStorage : IGrainStorage, IGrainStorageCatalog
{
    private readonly ConcurrentDictionary<(string Type, string Key, string State), StoredRecord> _records = new();
    private readonly IGrainStorageSerializer _serializer;
    private long _version;

    /// <summary>Creates an empty store.</summary>
    /// <param name="serializer">The serializer; JSON when null.</param>
    /// <param name="name">The provider's registered name.</param>
    public MemoryGrainStorage(IGrainStorageSerializer? serializer = null, string name = "memory")
    {
        _serializer = serializer ?? new JsonGrainStorageSerializer();
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The number of records held.</summary>
    public int Count => _records.Count;

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        if (_records.TryGetValue(Key(stateName, grainId), out var record))
        {
            grainState.State = _serializer.Deserialize<T>(record.Payload);
            grainState.ETag = record.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = GrainStateFactory.CreateDefault<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        grainState.ETag = Write(stateName, grainId, _serializer.Serialize(grainState.State), grainState.ETag);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = Key(stateName, grainId);
        if (_records.TryGetValue(key, out var current))
        {
            if (current.ETag != grainState.ETag || !_records.TryRemove(new KeyValuePair<(string, string, string), StoredRecord>(key, current)))
            {
                throw Conflict("clear", stateName, grainId, grainState.ETag);
            }
        }
        else if (grainState.ETag is not null)
        {
            throw Conflict("clear", stateName, grainId, grainState.ETag);
        }

        grainState.State = GrainStateFactory.CreateDefault<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListGrainTypesAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([.. _records.Keys.Select(k => k.Type).Distinct().Order(StringComparer.Ordinal)]);

    /// <inheritdoc />
    public Task<GrainIdPage> ListGrainIdsAsync(string grainType, string? continuationToken, int pageSize, CancellationToken cancellationToken = default)
    {
        CatalogArguments.ValidatePage(grainType, pageSize);
        var keys = _records.Keys
            .Where(k => k.Type == grainType && (continuationToken is null || string.CompareOrdinal(k.Key, continuationToken) > 0))
            .Select(k => k.Key)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .Take(pageSize + 1)
            .ToList();
        var more = keys.Count > pageSize;
        var ids = keys.Take(pageSize).Select(k => new GrainId(grainType, k)).ToList();
        return Task.FromResult(new GrainIdPage(ids, more ? ids[^1].Key : null));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListStateNamesAsync(GrainId grainId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([.. _records.Keys
            .Where(k => k.Type == grainId.Type && k.Key == grainId.Key).Select(k => k.State).Order(StringComparer.Ordinal)]);

    /// <inheritdoc />
    public Task<StorageRecord?> ReadRecordAsync(GrainId grainId, string stateName, CancellationToken cancellationToken = default)
    {
        CatalogArguments.ValidateRecord(grainId, stateName);
        return Task.FromResult(_records.TryGetValue(Key(stateName, grainId), out var r)
            ? new StorageRecord(grainId, stateName, [.. r.Payload], r.ETag, r.ModifiedAt)
            : null);
    }

    /// <inheritdoc />
    public Task<string> WriteRecordAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken = default)
    {
        CatalogArguments.ValidateRecord(grainId, stateName);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Write(stateName, grainId, payload.ToArray(), expectedETag));
    }

    /// <inheritdoc />
    public Task<int> DeleteGrainAsync(GrainId grainId, CancellationToken cancellationToken = default)
    {
        var deleted = 0;
        foreach (var key in _records.Keys.Where(k => k.Type == grainId.Type && k.Key == grainId.Key))
        {
            deleted += _records.TryRemove(key, out _) ? 1 : 0;
        }

        return Task.FromResult(deleted);
    }

    /// <inheritdoc />
    public Task<StorageStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled<StorageStatistics>(cancellationToken) : Task.FromResult(StorageStatistics.From(_records
            .GroupBy(r => r.Key.Type)
            .Select(g => new GrainTypeStatistics(g.Key, g.Select(r => r.Key.Key).Distinct().LongCount(), g.LongCount(), g.Sum(r => (long)r.Value.Payload.Length)))));

    private string Write(string stateName, GrainId grainId, byte[] payload, string? eTag)
    {
        var key = Key(stateName, grainId);
        var next = new StoredRecord(payload, NextETag(), DateTimeOffset.UtcNow);
        var written = eTag is null
            ? _records.TryAdd(key, next)
            : _records.TryGetValue(key, out var current) && current.ETag == eTag && _records.TryUpdate(key, next, current);
        if (!written)
        {
            throw Conflict("write", stateName, grainId, eTag);
        }

        return next.ETag;
    }

    private static (string, string, string) Key(string stateName, GrainId grainId)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        return (grainId.Type, grainId.Key, stateName);
    }

    private string NextETag() => Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture);

    private InconsistentStateException Conflict(string operation, string stateName, GrainId grainId, string? eTag)
    {
        _records.TryGetValue(Key(stateName, grainId), out var stored);
        return new InconsistentStateException(
            $"ETag mismatch on {operation} of state '{stateName}' of grain {grainId}: expected '{eTag ?? "<none>"}', stored '{stored?.ETag ?? "<none>"}'.",
            stored?.ETag, eTag);
    }

    private sealed record StoredRecord(byte[] Payload, string ETag, DateTimeOffset ModifiedAt);
}
