using System.Buffers;
using System.Globalization;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Users;

/// <summary>Filters over the row columns and the metadata index.</summary>
internal sealed partial class MemoryRows
{
    private readonly Dictionary<string, (byte[] Utf8Key, Dictionary<string, HashSet<int>> Rows)> _metadataIndex = new(StringComparer.Ordinal);

    /// <summary>From this many rows on, a mask is filled on several cores.</summary>
    private const int ParallelMaskRows = 32_768;

    /// <summary>Rows that pass the filter's type, importance, creation-time and scalar metadata tests, as a mask rented
    /// from <see cref="ArrayPool{T}.Shared"/> (return it); null when the filter has none of them. Metadata values are
    /// matched through the index by a canonical form; the caller confirms the values the mask does not decide
    /// (<see cref="MaskDecides"/>) with <see cref="HasMetadata"/> on the few rows that would enter the result.</summary>
    public bool[]? RentMask(MemoryFilter? filter)
    {
        var indexed = filter?.Metadata?.Where(m => IndexKey(m.Value) is not null).ToList() ?? [];
        if (filter is null || (filter.Types is not { Count: > 0 } && filter.MinImportance is null && filter.CreatedAfter is null && filter.CreatedBefore is null
            && indexed.Count == 0))
        {
            return null;
        }

        var count = Count;
        var mask = ArrayPool<bool>.Shared.Rent(Math.Max(count, 1));
        bool[]? types = null;
        if (filter.Types is { Count: > 0 } wanted)
        {
            types = new bool[_typeNames.Count];
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
        var (typeColumn, importance, created) = (_types, _importance, _createdTicks);
        void Fill(int from, int to)
        {
            for (var row = from; row < to; row++)
            {
                var type = typeColumn[row];
                mask[row] = type >= 0 && (types is null || types[type]) && importance[row] >= min && created[row] >= after && created[row] < before;
            }
        }

        // A large user's mask is filled on every core, as its scan is (a third of a filtered 100k search went here).
        var parts = count >= ParallelMaskRows ? Math.Clamp(Environment.ProcessorCount, 1, 4) : 1;
        if (parts == 1)
        {
            Fill(0, count);
        }
        else
        {
            var per = (count + parts - 1) / parts;
            Parallel.For(0, parts, p => Fill(p * per, Math.Min(count, (p + 1) * per)));
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

            var kept = MemoryMarshal.Cast<bool, byte>(mask.AsSpan(0, count));
            TensorPrimitives.BitwiseAnd(kept, MemoryMarshal.Cast<bool, byte>(member.AsSpan(0, count)), kept);

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

    /// <summary>The index of a key, built on first use. Searches run concurrently as readers of the grain's
    /// <see cref="ReadWriteGate"/>, so building takes a lock of its own; changes (the gate's writer) never meet a search.</summary>
    private Dictionary<string, HashSet<int>> IndexOf(string key)
    {
        lock (_metadataIndex)
        {
            if (_metadataIndex.TryGetValue(key, out var index))
            {
                return index.Rows;
            }

            var utf8Key = Encoding.UTF8.GetBytes(key);
            Dictionary<string, HashSet<int>> rows = [];
            for (var row = 0; row < Count; row++)
            {
                if (CanonicalValue(row, utf8Key) is { } canonical)
                {
                    RowsOf(rows, canonical).Add(row);
                }
            }

            _metadataIndex[key] = (utf8Key, rows);
            return rows;
        }
    }

    /// <summary>The canonical form of a row's value under a key; null when it has none or it is not a scalar.</summary>
    private string? CanonicalValue(int row, byte[] utf8Key) =>
        _states[row] != Deleted && MemoryRecord.TryGetMetadata(_arena.Get(_positions[row]), utf8Key, out var raw)
            ? IndexKey(MemoryRecord.ParseValue(raw))
            : null;

    private static HashSet<int> RowsOf(Dictionary<string, HashSet<int>> index, string canonical)
    {
        if (!index.TryGetValue(canonical, out var rows))
        {
            index[canonical] = rows = [];
        }

        return rows;
    }

    /// <summary>Removes a row from the metadata indexes (before its record changes).</summary>
    private void Unindex(int row)
    {
        foreach (var (utf8Key, index) in _metadataIndex.Values)
        {
            if (CanonicalValue(row, utf8Key) is { } canonical && index.TryGetValue(canonical, out var rows))
            {
                rows.Remove(row);
            }
        }
    }

    /// <summary>Adds a row to the metadata indexes (after its record changed).</summary>
    private void IndexRecord(int row)
    {
        foreach (var (utf8Key, index) in _metadataIndex.Values)
        {
            if (CanonicalValue(row, utf8Key) is { } canonical)
            {
                RowsOf(index, canonical).Add(row);
            }
        }
    }
}
