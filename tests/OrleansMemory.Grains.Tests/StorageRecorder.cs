using System.Collections.Concurrent;

namespace OrleansMemory.Grains.Tests;

/// <summary>What the storage of every silo of a test cluster was asked to do: writes and the bytes they carried,
/// reads, and which records exist (as far as the cluster has written or read them).</summary>
public sealed class StorageRecorder
{
    private readonly ConcurrentDictionary<(GrainId Grain, string State), bool> _live = new();
    private readonly ConcurrentDictionary<(GrainId Grain, string State), long> _lastWrite = new();
    private long _bytesWritten;
    private long _writes;
    private long _reads;

    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    public long Writes => Interlocked.Read(ref _writes);

    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>The state names of the records that exist for a grain, in order.</summary>
    public IReadOnlyList<string> LiveRecords(GrainId grainId) => [.. _live.Keys.Where(k => k.Grain == grainId).Select(k => k.State).Order()];

    /// <summary>The size of the last write of a record (0 when never written).</summary>
    public long LastWriteBytes(GrainId grainId, string stateName) => _lastWrite.GetValueOrDefault((grainId, stateName));

    internal void Read(GrainId grainId, string stateName, bool exists)
    {
        if (grainId.Type.ToString() == "pendingwork")
        {
            return; // every silo start reads the pending-work record; Reads counts what the memory grains read
        }

        Interlocked.Increment(ref _reads);
        if (exists)
        {
            _live[(grainId, stateName)] = true;
        }
    }

    internal void Wrote(GrainId grainId, string stateName, long bytes)
    {
        Interlocked.Add(ref _bytesWritten, bytes);
        Interlocked.Increment(ref _writes);
        _live[(grainId, stateName)] = true;
        _lastWrite[(grainId, stateName)] = bytes;
        _writesOf.AddOrUpdate((grainId, stateName), 1, static (_, n) => n + 1);
    }

    private readonly ConcurrentDictionary<(GrainId Grain, string State), long> _writesOf = new();

    /// <summary>How many times one record of a grain was written.</summary>
    public long WritesOf(GrainId grainId, string stateName) => _writesOf.GetValueOrDefault((grainId, stateName));

    internal void Cleared(GrainId grainId, string stateName) => _live.TryRemove((grainId, stateName), out _);

    private readonly ConcurrentDictionary<(GrainId Grain, string State), bool> _failNextClear = new();

    /// <summary>Makes the next clear of one record of a grain fail (a crash part-way through).</summary>
    public void FailNextClearOf(GrainId grainId, string stateName) => _failNextClear[(grainId, stateName)] = true;

    private readonly ConcurrentDictionary<(GrainId Grain, string State), int> _failWrite = new();

    /// <summary>Makes a coming write of one record of a grain fail (a crash part-way through): the next one, or the one
    /// after <paramref name="skip"/> more.</summary>
    public void FailNextWriteOf(GrainId grainId, string stateName, int skip = 0) => _failWrite[(grainId, stateName)] = skip;

    internal void BeforeWrite(GrainId grainId, string stateName)
    {
        if (_failWrite.TryGetValue((grainId, stateName), out var skip))
        {
            if (skip > 0)
            {
                _failWrite[(grainId, stateName)] = skip - 1;
                return;
            }

            _failWrite.TryRemove((grainId, stateName), out _);
            throw new InvalidOperationException($"Injected failure writing {stateName}.");
        }
    }

    internal void BeforeClear(GrainId grainId, string stateName)
    {
        if (_failNextClear.TryRemove((grainId, stateName), out _))
        {
            throw new InvalidOperationException($"Injected failure clearing {stateName}.");
        }
    }
}
