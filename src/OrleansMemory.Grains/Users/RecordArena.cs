namespace OrleansMemory.Grains.Users;

/// <summary>Byte records (<see cref="MemoryRecord"/>) packed one after another into large chunks, so that 100,000
/// memories are a few dozen arrays rather than hundreds of thousands of objects. A record is found by its position
/// (chunk in the high 32 bits, offset in the low); chunks never move, so readers may hold a span while a writer adds.
/// A replaced record's bytes stay until <see cref="MemoryRows"/> compacts the arena.</summary>
internal sealed class RecordArena
{
    private const int ChunkSize = 256 * 1024;
    private readonly List<byte[]> _chunks = [];
    private int _used = ChunkSize;

    /// <summary>Bytes of every record added (replaced ones included).</summary>
    public long Bytes { get; private set; }

    /// <summary>Adds a record (its length prefix included); returns its position.</summary>
    public long Add(ReadOnlySpan<byte> record)
    {
        if (record.Length > ChunkSize)
        {
            _chunks.Add(record.ToArray()); // a record of its own; the next one starts a new chunk
            _used = ChunkSize;
            Bytes += record.Length;
            return (long)(_chunks.Count - 1) << 32;
        }

        if (ChunkSize - _used < record.Length)
        {
            _chunks.Add(GC.AllocateUninitializedArray<byte>(ChunkSize));
            _used = 0;
        }

        var position = ((long)(_chunks.Count - 1) << 32) | (uint)_used;
        record.CopyTo(_chunks[^1].AsSpan(_used));
        _used += record.Length;
        Bytes += record.Length;
        return position;
    }

    /// <summary>The record at <paramref name="position"/>, its length prefix included.</summary>
    public ReadOnlySpan<byte> Get(long position)
    {
        var chunk = _chunks[(int)(position >> 32)].AsSpan((int)(uint)position);
        return chunk[..MemoryRecord.Length(chunk)];
    }

    public void Clear()
    {
        _chunks.Clear();
        _used = ChunkSize;
        Bytes = 0;
    }
}
