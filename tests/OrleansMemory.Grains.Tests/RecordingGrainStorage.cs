using System.Collections.Concurrent;

namespace OrleansMemory.Grains.Tests;

/// <summary>A real storage provider wrapped to observe it: counts writes and the bytes they carry (as the compact JSON
/// serializer encodes the state) and tracks which records exist, so tests can prove paging cost and erasure.</summary>
public sealed class RecordingGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private readonly JsonGrainStorageSerializer _serializer = new();
    private readonly ConcurrentDictionary<(GrainId Grain, string State), bool> _live = new();
    private long _bytesWritten;
    private long _writes;

    public IGrainStorage Inner => inner;

    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>The state names of records that exist for a grain (as far as this process has seen them written or read).</summary>
    public IReadOnlyList<string> LiveRecords(GrainId grainId) => [.. _live.Keys.Where(k => k.Grain == grainId).Select(k => k.State).Order()];

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await inner.ReadStateAsync(stateName, grainId, grainState);
        if (grainState.RecordExists)
        {
            _live[(grainId, stateName)] = true;
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await inner.WriteStateAsync(stateName, grainId, grainState);
        Interlocked.Add(ref _bytesWritten, _serializer.Serialize(grainState.State).Length);
        Interlocked.Increment(ref _writes);
        _live[(grainId, stateName)] = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await inner.ClearStateAsync(stateName, grainId, grainState);
        _live.TryRemove((grainId, stateName), out _);
    }
}
