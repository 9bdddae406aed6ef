using System.Buffers;
using System.Text;
using System.Text.Json;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Users;

/// <summary>The user's memories by row, compact: the fields that filters and counts test are columns (state, type id,
/// importance, creation time), the id a 16-byte column (<see cref="MemoryIdIndex.TryPack"/>; other ids aside), and
/// the rest of each memory is a small binary record (<see cref="MemoryRecord"/>) in a chunked arena. A
/// <see cref="SemanticMemory"/> is made from a row only when a call returns it or a write changes it, so a user with
/// 100,000 memories keeps about 270 bytes per memory besides its vectors instead of about 950 bytes of objects.
/// Metadata keys that filters use get an inverted index (value to rows), built on the first filter that names the key
/// and kept up to date from then on. Rows change only as the writer of the grain's <see cref="ReadWriteGate"/>; reads may run concurrently.</summary>
internal sealed partial class MemoryRows
{
    private const byte Deleted = 0, Live = 1, Archived = 2;
    private RecordArena _arena = new();
    private readonly Dictionary<string, int> _typeIds = new(StringComparer.Ordinal);
    private readonly List<string> _typeNames = [];
    private Guid[] _ids = [];
    private readonly Dictionary<int, string> _unpackedIds = [];
    private long[] _positions = [];
    private byte[] _states = [];
    private int[] _types = [];
    private double[] _importance = [];
    private long[] _createdTicks = [];
    private long _replacedBytes;
    private readonly long _hitOwner = SearchHitCache.NewOwner();

    /// <summary>The number of rows (deleted ones included).</summary>
    public int Count { get; private set; }

    /// <summary>The memory of a row, made from its record (a new object each time; null for a deleted row). Setting it
    /// replaces the row's record and columns.</summary>
    public SemanticMemory? this[int row]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Count, nameof(row));
            return _states[row] == Deleted
                ? null
                : MemoryRecord.Read(_arena.Get(_positions[row]), IdOf(row)!, _typeNames[_types[row]], _importance[row], _createdTicks[row]);
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Count, nameof(row));
            Unindex(row);
            if (_states[row] != Deleted)
            {
                _replacedBytes += _arena.Get(_positions[row]).Length;
            }

            Set(row, value);
            CompactIfMostlyReplaced();
        }
    }

    /// <summary>The memory of a row that a search found: as <see cref="this[int]"/>, but kept in the silo's
    /// <see cref="SearchHitCache"/>, so that a hit found again is not made again.</summary>
    public SemanticMemory? Hit(int row)
    {
        if (SearchHitCache.Get(_hitOwner, row) is { } cached)
        {
            return cached;
        }

        var memory = this[row];
        if (memory is not null)
        {
            SearchHitCache.Put(_hitOwner, row, memory);
        }

        return memory;
    }

    /// <summary>Whether a row holds a memory (not deleted).</summary>
    public bool Exists(int row) => _states[row] != Deleted;

    /// <summary>Whether a row holds an archived memory.</summary>
    public bool IsArchived(int row) => _states[row] == Archived;

    /// <summary>The id of a row's memory; null for a deleted row.</summary>
    public string? IdOf(int row) => _states[row] == Deleted ? null
        : _unpackedIds.TryGetValue(row, out var id) ? id : MemoryIdIndex.Unpack(_ids[row]);

    /// <summary>Live (not archived, not deleted) and archived memories.</summary>
    public (int Live, int Archived) CountStates()
    {
        int live = 0, archived = 0;
        var states = _states;
        for (var row = 0; row < Count; row++)
        {
            live += states[row] == Live ? 1 : 0;
            archived += states[row] == Archived ? 1 : 0;
        }

        return (live, archived);
    }

    /// <summary>The rows holding memories, in order; archived ones only when asked for.</summary>
    public IEnumerable<int> Rows(bool includeArchived)
    {
        for (var row = 0; row < Count; row++)
        {
            if (_states[row] == Live || (includeArchived && _states[row] == Archived))
            {
                yield return row;
            }
        }
    }

    /// <summary>UTF-8 bytes of a row's text, type and metadata (as <see cref="Guard.MetadataBytes"/> counts), for the
    /// user's byte quota; 0 for a deleted row.</summary>
    public long ContentBytes(int row)
    {
        if (_states[row] == Deleted)
        {
            return 0;
        }

        var (text, metadata) = MemoryRecord.Sizes(_arena.Get(_positions[row]));
        return text + Encoding.UTF8.GetByteCount(_typeNames[_types[row]]) + metadata;
    }

    /// <summary>Whether a row's memory has metadata value <paramref name="value"/>
    /// under <paramref name="utf8Key"/> (<see cref="JsonElement.DeepEquals"/>), without making the memory.</summary>
    public bool HasMetadata(int row, byte[] utf8Key, JsonElement value) =>
        _states[row] != Deleted && MemoryRecord.TryGetMetadata(_arena.Get(_positions[row]), utf8Key, out var raw)
        && JsonElement.DeepEquals(MemoryRecord.ParseValue(raw), value);

    /// <summary>Appends a row.</summary>
    public void Add(SemanticMemory? memory)
    {
        Reserve(Count + 1);
        Count++;
        Set(Count - 1, memory);
    }

    /// <summary>Appends a row from a record made by <see cref="MemoryRecord.Write"/> (activation decodes pages into
    /// records off the grain's thread); <paramref name="id"/> null for a deleted row.</summary>
    public void AddRecord(string? id, string type, double importance, long createdUtcTicks, bool archived, ReadOnlySpan<byte> record)
    {
        Reserve(Count + 1);
        var row = Count++;
        if (id is null)
        {
            SetDeleted(row);
            return;
        }

        SetColumns(row, id, type, importance, createdUtcTicks, archived ? Archived : Live, _arena.Add(record));
        IndexRecord(row);
    }

    /// <summary>Makes room for <paramref name="rows"/> rows.</summary>
    public void Reserve(int rows)
    {
        if (rows <= _states.Length)
        {
            return;
        }

        var capacity = Math.Max(rows, Math.Max(16, _states.Length * 2));
        if (rows > 16 && _states.Length == 0)
        {
            capacity = rows; // sized once from the log's count on activation
        }

        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _positions, capacity);
        Array.Resize(ref _states, capacity);
        Array.Resize(ref _types, capacity);
        Array.Resize(ref _importance, capacity);
        Array.Resize(ref _createdTicks, capacity);
    }

    public void Clear()
    {
        ForgetHits();
        _arena.Clear();
        _typeIds.Clear();
        _typeNames.Clear();
        _metadataIndex.Clear();
        _ids = [];
        _unpackedIds.Clear();
        _positions = [];
        _states = [];
        _types = [];
        _importance = [];
        _createdTicks = [];
        _replacedBytes = 0;
        Count = 0;
    }

    /// <summary>Drops every hit of these rows from the silo's <see cref="SearchHitCache"/>: when the rows are cleared (an
    /// erasure keeps no copy of a memory's text, not even in memory) and when the grain deactivates.</summary>
    public void ForgetHits()
    {
        for (var row = 0; row < Count; row++)
        {
            SearchHitCache.Forget(_hitOwner, row);
        }
    }

    private void Set(int row, SemanticMemory? memory)
    {
        if (memory is null)
        {
            SetDeleted(row);
            return;
        }

        var buffer = t_record ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        MemoryRecord.Write(memory, buffer);
        SetColumns(row, memory.Id, memory.Type, memory.Importance, memory.CreatedAt.UtcTicks, memory.IsArchived ? Archived : Live,
            _arena.Add(buffer.WrittenSpan));
        IndexRecord(row);
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_record;

    private void SetDeleted(int row)
    {
        SearchHitCache.Forget(_hitOwner, row);
        _ids[row] = default;
        _unpackedIds.Remove(row);
        _states[row] = Deleted;
        _types[row] = -1;
        _positions[row] = -1;
    }

    private void SetColumns(int row, string id, string type, double importance, long createdUtcTicks, byte state, long position)
    {
        SearchHitCache.Forget(_hitOwner, row);
        if (!_typeIds.TryGetValue(type, out var typeId))
        {
            _typeIds[type] = typeId = _typeNames.Count;
            _typeNames.Add(type);
        }

        if (MemoryIdIndex.TryPack(id, out var key))
        {
            _ids[row] = key;
            _unpackedIds.Remove(row);
        }
        else
        {
            _unpackedIds[row] = id;
        }

        _types[row] = typeId;
        _importance[row] = importance;
        _createdTicks[row] = createdUtcTicks;
        _positions[row] = position;
        _states[row] = state;
    }

    /// <summary>Copies the records still in use into a new arena once replaced records take more than half of it.</summary>
    private void CompactIfMostlyReplaced()
    {
        if (_replacedBytes < 1 << 20 || _replacedBytes * 2 < _arena.Bytes)
        {
            return;
        }

        var fresh = new RecordArena();
        for (var row = 0; row < Count; row++)
        {
            if (_states[row] != Deleted)
            {
                _positions[row] = fresh.Add(_arena.Get(_positions[row]));
            }
        }

        _arena = fresh;
        _replacedBytes = 0;
    }
}
