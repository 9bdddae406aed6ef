using System.Collections.Concurrent;
using System.Globalization;

namespace OrleansMemory.Storage;

/// <summary>Keeps grain state in process memory, serialized, so a grain never shares objects with storage.
/// For tests and development: state is lost when the process exits.</summary>
public sealed class MemoryGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(string Type, string Key, string State), StoredRecord> _records = new();
    private readonly IGrainStorageSerializer _serializer;
    private long _version;

    /// <summary>Creates an empty store.</summary>
    public MemoryGrainStorage(IGrainStorageSerializer? serializer = null) => _serializer = serializer ?? new JsonGrainStorageSerializer();

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
        var key = Key(stateName, grainId);
        var next = new StoredRecord(_serializer.Serialize(grainState.State), NextETag());
        var written = grainState.ETag is null
            ? _records.TryAdd(key, next)
            : _records.TryGetValue(key, out var current) && current.ETag == grainState.ETag && _records.TryUpdate(key, next, current);
        if (!written)
        {
            throw Conflict("write", stateName, grainId, grainState.ETag);
        }

        grainState.ETag = next.ETag;
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

    private sealed record StoredRecord(byte[] Payload, string ETag);
}
