using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OrleansMemory.VectorIndex;

/// <summary>Every embedding of one user in one contiguous float array (row i = memory i), normalised once on the way
/// in, so that cosine similarity is a dot product, plus an int8 copy (<see cref="QuantizedRows"/>) that large searches
/// scan first. Rows have a state: deleted rows are zeroed and skipped, archived rows are skipped unless asked for.</summary>
public sealed partial class EmbeddingMatrix
{
    private readonly QuantizedRows _quantized = new();
    private float[] _data = [];
    private byte[] _states = [];

    /// <summary>The dimension; 0 until the first row.</summary>
    public int Dimension { get; private set; }

    /// <summary>The number of rows (deleted ones included).</summary>
    public int Count { get; private set; }

    /// <summary>The rows as one contiguous span.</summary>
    public ReadOnlySpan<float> Data => _data.AsSpan(0, Count * Dimension);

    /// <summary>A row's normalised values.</summary>
    public ReadOnlySpan<float> Row(int row) => _data.AsSpan(row * Dimension, Dimension);

    /// <summary>A row's state.</summary>
    public RowState GetState(int row) => (RowState)_states[row];

    /// <summary>Sets a row's state; a deleted row is zeroed in every copy (float32, int8, sketch).</summary>
    public void SetState(int row, RowState state)
    {
        _states[row] = (byte)state;
        if (state == RowState.Deleted)
        {
            _data.AsSpan(row * Dimension, Dimension).Clear();
            _quantized.Set(row, Row(row));
            _sketch.Update(row, Row(row));
        }
    }

    /// <summary>Fixes the dimension (once, before the first row) and reserves room for <paramref name="rows"/> rows.</summary>
    public void Reserve(int dimension, int rows)
    {
        if (Dimension == 0)
        {
            Dimension = dimension;
        }

        var needed = (long)rows * Dimension;
        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException($"A user cannot hold {rows} embeddings of dimension {Dimension}: more than one array can hold.");
        }

        if (needed > _data.Length)
        {
            var capacity = Math.Max(rows, Math.Max(16, _states.Length * 2));
            capacity = (int)Math.Min(capacity, Array.MaxLength / Dimension);
            Array.Resize(ref _data, capacity * Dimension);
            Array.Resize(ref _states, capacity);
        }

        _quantized.Reserve(Dimension, _states.Length);
    }

    /// <summary>Adds a normalised row; returns its index.</summary>
    public int Add(ReadOnlySpan<float> normalized, RowState state)
    {
        Reserve(normalized.Length, Count + 1);
        normalized.CopyTo(_data.AsSpan(Count * Dimension, Dimension));
        _quantized.Set(Count, normalized);
        _states[Count] = (byte)state;
        return Count++;
    }

    /// <summary>Empties the matrix and sizes it to <paramref name="rows"/> deleted rows of <paramref name="dimension"/>,
    /// for activation to fill with <see cref="DecodeRow"/> from several threads at once.</summary>
    public void ResetForLoad(int dimension, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Clear();
        Reserve(dimension, rows);
        Count = rows;
    }

    /// <summary>Fills a row from its stored form (little-endian float32 bytes); a missing or malformed one becomes a
    /// deleted row. Returns the row's state. Rows are independent: different rows may be decoded concurrently.</summary>
    public RowState DecodeRow(int row, byte[]? encoded, RowState state)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Count, nameof(row));
        var values = _data.AsSpan(row * Dimension, Dimension);
        if (state == RowState.Deleted || encoded is null || encoded.Length != Dimension * sizeof(float))
        {
            values.Clear();
            state = RowState.Deleted;
        }
        else
        {
            MemoryMarshal.Cast<byte, float>(encoded).CopyTo(values);
        }

        _quantized.Set(row, values);
        _states[row] = (byte)state;
        return state;
    }

    /// <summary>Replaces a row's values (normalised) in every copy.</summary>
    public void Set(int row, ReadOnlySpan<float> normalized)
    {
        normalized.CopyTo(_data.AsSpan(row * Dimension, Dimension));
        _quantized.Set(row, normalized);
        _sketch.Update(row, normalized);
    }

    /// <summary>Removes every row and forgets the dimension.</summary>
    public void Clear()
    {
        _data = [];
        _states = [];
        _quantized.Clear();
        _sketch.Clear();
        Count = 0;
        Dimension = 0;
    }

    /// <summary>The stored form of a row: its float32 values as little-endian bytes (base64 in JSON).</summary>
    public static byte[] Encode(ReadOnlySpan<float> row) => MemoryMarshal.AsBytes(row).ToArray();

    /// <summary>A normalised copy of <paramref name="vector"/> (unit length, so that cosine similarity is a dot product).</summary>
    /// <exception cref="ArgumentException">The vector is empty, or its norm is zero or not finite.</exception>
    public static float[] Normalize(ReadOnlySpan<float> vector)
    {
        var normalized = new float[vector.Length];
        Normalize(vector, normalized);
        return normalized;
    }

    /// <summary>Writes <paramref name="vector"/> divided by its L2 norm into the first elements of
    /// <paramref name="destination"/> (so that a pooled buffer serves).</summary>
    /// <exception cref="ArgumentException">The vector is empty, or its norm is zero or not finite.</exception>
    public static void Normalize(ReadOnlySpan<float> vector, Span<float> destination)
    {
        var norm = vector.IsEmpty ? 0 : TensorPrimitives.Norm(vector);
        if (!(norm > 0) || !float.IsFinite(norm))
        {
            throw new ArgumentException("The vector is empty, a zero vector or has a norm that is not finite.", nameof(vector));
        }

        TensorPrimitives.Divide(vector, norm, destination[..vector.Length]);
    }

    /// <summary>The exact scan: the <paramref name="topK"/> rows most similar to <paramref name="query"/> (normalised) with
    /// a score of at least <paramref name="minScore"/>, best first, from every float32 row. Rows whose
    /// <paramref name="mask"/> entry is false are skipped; <paramref name="accept"/> is asked only about rows that would
    /// enter the current top list, so expensive filters cost little. Scores come four rows at a time from
    /// <see cref="DotProducts"/>.</summary>
    public List<(int Row, float Score)> SearchExact(ReadOnlySpan<float> query, int topK, float minScore, bool includeArchived, Func<int, bool>? accept,
        bool[]? mask = null)
    {
        if (query.Length != Dimension && Count > 0)
        {
            throw new ArgumentException($"The query has dimension {query.Length}; the matrix has {Dimension}.", nameof(query));
        }

        var top = new TopK(topK, minScore);
        Span<float> block = stackalloc float[BlockRows];
        var states = _states;
        for (var first = 0; first < Count; first += BlockRows)
        {
            var rows = Math.Min(BlockRows, Count - first);
            DotProducts(first, rows, query, block);
            for (var i = 0; i < rows; i++)
            {
                var row = first + i;
                var state = states[row];
                if (state == (byte)RowState.Deleted || (state == (byte)RowState.Archived && !includeArchived) || (mask is not null && !mask[row]) || !top.Beats(block[i])
                    || (accept is not null && !accept(row)))
                {
                    continue;
                }

                top.Add(row, block[i]);
            }
        }

        return top.TakeList();
    }

    private const int BlockRows = 256;

    /// <summary>Dot products of <paramref name="rows"/> rows from <paramref name="first"/> with the query. With AVX2
    /// and FMA, and a dimension that is a multiple of 8, four rows share each load of the query (four accumulators);
    /// otherwise one <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/> per row.</summary>
    private void DotProducts(int first, int rows, ReadOnlySpan<float> query, Span<float> scores)
    {
        var dimension = Dimension;
        var row = 0;
        if (Fma.IsSupported && Vector256.IsHardwareAccelerated && dimension % Vector256<float>.Count == 0)
        {
            ref var data = ref MemoryMarshal.GetArrayDataReference(_data);
            ref var q = ref MemoryMarshal.GetReference(query);
            var length = (nuint)dimension;
            for (; row + 4 <= rows; row += 4)
            {
                var o0 = (nuint)(first + row) * length;
                var o1 = o0 + length;
                var o2 = o1 + length;
                var o3 = o2 + length;
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (nuint j = 0; j < length; j += (nuint)Vector256<float>.Count)
                {
                    var qv = Vector256.LoadUnsafe(ref q, j);
                    a0 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref data, o0 + j), qv, a0);
                    a1 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref data, o1 + j), qv, a1);
                    a2 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref data, o2 + j), qv, a2);
                    a3 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref data, o3 + j), qv, a3);
                }

                scores[row] = Vector256.Sum(a0);
                scores[row + 1] = Vector256.Sum(a1);
                scores[row + 2] = Vector256.Sum(a2);
                scores[row + 3] = Vector256.Sum(a3);
            }
        }

        for (; row < rows; row++)
        {
            scores[row] = TensorPrimitives.Dot(new ReadOnlySpan<float>(_data, (first + row) * dimension, dimension), query);
        }
    }
}

/// <summary>The state of a row of <see cref="EmbeddingMatrix"/>.</summary>
public enum RowState : byte
{
    /// <summary>No vector: zeroed and never returned.</summary>
    Deleted = 0,

    /// <summary>Searched.</summary>
    Live = 1,

    /// <summary>Searched only when archived rows are asked for.</summary>
    Archived = 2,
}
