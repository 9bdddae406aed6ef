using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text.Json;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Users;

/// <summary>The user's memories by row (null for a deleted one), with the fields that search filters test kept as
/// columns (type id, importance, creation time), so that a filter becomes one pass over a few flat arrays instead of a
/// walk through every memory object. Metadata keys that filters use get an inverted index (value to rows), built on
/// the first filter that names the key and kept up to date from then on.</summary>
internal sealed class MemoryRows : IReadOnlyList<SemanticMemory?>
{
    private readonly List<SemanticMemory?> _items = [];
    private readonly Dictionary<string, int> _typeIds = new(StringComparer.Ordinal);
    private int[] _types = [];
    private double[] _importance = [];
    private long[] _createdTicks = [];
    private readonly Dictionary<string, Dictionary<string, HashSet<int>>> _metadataIndex = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public int Count => _items.Count;

    /// <summary>The memory of a row; setting it also updates the row's columns.</summary>
    public SemanticMemory? this[int row]
    {
        get => _items[row];
        set
        {
            Unindex(row, _items[row]);
            _items[row] = value;
            SetColumns(row, value);
        }
    }

    /// <summary>Appends a row.</summary>
    public void Add(SemanticMemory? memory)
    {
        if (_items.Count == _types.Length)
        {
            var capacity = Math.Max(16, _types.Length * 2);
            Array.Resize(ref _types, capacity);
            Array.Resize(ref _importance, capacity);
            Array.Resize(ref _createdTicks, capacity);
        }

        _items.Add(memory);
        SetColumns(_items.Count - 1, memory);
    }

    public void Clear()
    {
        _items.Clear();
        _typeIds.Clear();
        _metadataIndex.Clear();
        _types = [];
        _importance = [];
        _createdTicks = [];
    }

    /// <summary>Rows that pass the filter's type, importance, creation-time and scalar metadata tests, as a mask rented
    /// from <see cref="ArrayPool{T}.Shared"/> (return it); null when the filter has none of them. Metadata values are
    /// matched through the index by a canonical form; the caller confirms the values the mask does not decide
    /// (<see cref="MaskDecides"/>) with <see cref="JsonElement.DeepEquals"/> on the few rows that would enter the result.</summary>
    public bool[]? RentMask(MemoryFilter? filter)
    {
        var indexed = filter?.Metadata?.Where(m => IndexKey(m.Value) is not null).ToList() ?? [];
        if (filter is null || (filter.Types is not { Count: > 0 } && filter.MinImportance is null && filter.CreatedAfter is null && filter.CreatedBefore is null
            && indexed.Count == 0))
        {
            return null;
        }

        var count = _items.Count;
        var mask = ArrayPool<bool>.Shared.Rent(Math.Max(count, 1));
        bool[]? types = null;
        if (filter.Types is { Count: > 0 } wanted)
        {
            types = new bool[_typeIds.Count];
            foreach (var type in wanted)
            {
                if (type is not null && _typeIds.TryGetValue(type, out var id))
                {
                    types[id] = true;
                }
            }
        }

        var min = filter.MinImportance ?? double.NegativeInfinity;
        var after = filter.CreatedAfter?.UtcTicks ?? long.MinValue;
        var before = filter.CreatedBefore?.UtcTicks ?? long.MaxValue;
        var typeColumn = _types;
        var importance = _importance;
        var created = _createdTicks;
        for (var row = 0; row < count; row++)
        {
            var type = typeColumn[row];
            mask[row] = type >= 0 && (types is null || types[type]) && importance[row] >= min && created[row] >= after && created[row] < before;
        }

        foreach (var (key, value) in indexed)
        {
            var rows = IndexOf(key).GetValueOrDefault(IndexKey(value)!);
            var member = ArrayPool<bool>.Shared.Rent(Math.Max(count, 1));
            Array.Clear(member, 0, count);
            foreach (var row in rows ?? [])
            {
                member[row] = true;
            }

            for (var row = 0; row < count; row++)
            {
                mask[row] &= member[row];
            }

            ArrayPool<bool>.Shared.Return(member);
        }

        return mask;
    }

    /// <summary>Whether the mask alone decides a metadata test with this value (strings, booleans, null: their canonical
    /// form is exact); numbers, objects and arrays are confirmed with <see cref="JsonElement.DeepEquals"/>.</summary>
    public static bool MaskDecides(JsonElement value) => value.ValueKind is JsonValueKind.String or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null;

    /// <summary>The canonical form of a scalar metadata value for the index; null for objects and arrays.</summary>
    private static string? IndexKey(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "s" + value.GetString(),
        JsonValueKind.Number => value.TryGetDouble(out var d) ? "n" + d.ToString("R", CultureInfo.InvariantCulture) : null,
        JsonValueKind.True => "t",
        JsonValueKind.False => "f",
        JsonValueKind.Null => "z",
        _ => null,
    };

    /// <summary>The index of a key, built on first use. Searches run concurrently under the grain's read lock, so
    /// building takes a lock of its own; changes (under the grain's write lock) never meet a search.</summary>
    private Dictionary<string, HashSet<int>> IndexOf(string key)
    {
        lock (_metadataIndex)
        {
            return _metadataIndex.TryGetValue(key, out var index) ? index : BuildIndex(key);
        }
    }

    private Dictionary<string, HashSet<int>> BuildIndex(string key)
    {
        Dictionary<string, HashSet<int>> index = [];
        for (var row = 0; row < _items.Count; row++)
        {
            if (_items[row]?.Metadata is { } metadata && metadata.TryGetValue(key, out var value) && IndexKey(value) is { } canonical)
            {
                RowsOf(index, canonical).Add(row);
            }
        }

        _metadataIndex[key] = index;
        return index;
    }

    private static HashSet<int> RowsOf(Dictionary<string, HashSet<int>> index, string canonical)
    {
        if (!index.TryGetValue(canonical, out var rows))
        {
            index[canonical] = rows = [];
        }

        return rows;
    }

    private void Unindex(int row, SemanticMemory? memory)
    {
        if (memory?.Metadata is not { } metadata || _metadataIndex.Count == 0)
        {
            return;
        }

        foreach (var (key, value) in metadata)
        {
            if (_metadataIndex.TryGetValue(key, out var index) && IndexKey(value) is { } canonical && index.TryGetValue(canonical, out var rows))
            {
                rows.Remove(row);
            }
        }
    }

    /// <inheritdoc />
    public IEnumerator<SemanticMemory?> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void SetColumns(int row, SemanticMemory? memory)
    {
        if (memory is null)
        {
            _types[row] = -1;
            return;
        }

        if (!_typeIds.TryGetValue(memory.Type, out var id))
        {
            _typeIds[memory.Type] = id = _typeIds.Count;
        }

        _types[row] = id;
        _importance[row] = memory.Importance;
        _createdTicks[row] = memory.CreatedAt.UtcTicks;
        if (memory.Metadata is { } metadata && _metadataIndex.Count > 0)
        {
            foreach (var (key, value) in metadata)
            {
                if (_metadataIndex.TryGetValue(key, out var index) && IndexKey(value) is { } canonical)
                {
                    RowsOf(index, canonical).Add(row);
                }
            }
        }
    }
}
