namespace OrleansMemory.VectorIndex;

/// <summary>Id to row. Ids of 32 lowercase hex digits (what the memory grains make) are kept
/// as 16-byte keys instead of strings (a 32-character string is 88 bytes, about 6% of a 384-dimension float32 row, on
/// top of the dictionary entry); any other id is kept as it is. Changed only by the index's single writer.</summary>
public sealed class MemoryIdIndex
{
    private readonly Dictionary<Guid, int> _packed = [];
    private readonly Dictionary<string, int> _other = new(StringComparer.Ordinal);

    /// <summary>The number of ids.</summary>
    public int Count => _packed.Count + _other.Count;

    /// <summary>The row of an id.</summary>
    public bool TryGetValue(string id, out int row) => TryPack(id, out var key) ? _packed.TryGetValue(key, out row) : _other.TryGetValue(id, out row);

    /// <summary>Whether an id has a row.</summary>
    public bool ContainsKey(string id) => TryGetValue(id, out _);

    /// <summary>Sets the row of an id.</summary>
    public int this[string id]
    {
        set
        {
            if (TryPack(id, out var key))
            {
                _packed[key] = value;
            }
            else
            {
                _other[id] = value;
            }
        }
    }

    /// <summary>Removes an id; returns its row.</summary>
    public bool Remove(string id, out int row) => TryPack(id, out var key) ? _packed.Remove(key, out row) : _other.Remove(id, out row);

    /// <summary>Makes room for this many ids the grain made (on activation, so the table is not doubled past the count).</summary>
    public void EnsureCapacity(int count) => _packed.EnsureCapacity(count);

    /// <summary>Removes every id.</summary>
    public void Clear()
    {
        _packed.Clear();
        _other.Clear();
    }

    /// <summary>Packs an id of 32 lowercase hex digits (what <see cref="Guid.ToString(string)"/> with "N" writes) into
    /// its 16 bytes; any other id does not pack, so unpacking always gives the id back exactly.</summary>
    public static bool TryPack(string id, out Guid key)
    {
        key = default;
        if (id.Length != 32)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return Guid.TryParseExact(id, "N", out key);
    }

    /// <summary>The id a packed key came from.</summary>
    public static string Unpack(Guid key) => key.ToString("N");
}
