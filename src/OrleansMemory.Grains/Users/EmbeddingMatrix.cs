using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Users;

/// <summary>Every embedding of one user in one contiguous float array (row i = memory i), normalised once on the way
/// in, so that cosine similarity is a dot product. Rows have a state: deleted rows are zeroed and skipped, archived
/// rows are skipped unless asked for.</summary>
internal sealed class EmbeddingMatrix
{
    private float[] _data = [];
    private byte[] _states = [];

    /// <summary>The dimension; 0 until the first row.</summary>
    public int Dimension { get; private set; }

    /// <summary>The number of rows (deleted ones included).</summary>
    public int Count { get; private set; }

    /// <summary>The rows as one contiguous span.</summary>
    public ReadOnlySpan<float> Data => _data.AsSpan(0, Count * Dimension);

    public ReadOnlySpan<float> Row(int row) => _data.AsSpan(row * Dimension, Dimension);

    public RowState GetState(int row) => (RowState)_states[row];

    public void SetState(int row, RowState state)
    {
        _states[row] = (byte)state;
        if (state == RowState.Deleted)
        {
            _data.AsSpan(row * Dimension, Dimension).Clear();
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
    }

    /// <summary>Adds a normalised row; returns its index.</summary>
    public int Add(ReadOnlySpan<float> normalized, RowState state)
    {
        Reserve(normalized.Length, Count + 1);
        normalized.CopyTo(_data.AsSpan(Count * Dimension, Dimension));
        _states[Count] = (byte)state;
        return Count++;
    }

    /// <summary>Adds a row from its stored form (base64 of little-endian float32); returns its index.</summary>
    public int AddEncoded(string? encoded, int dimension, RowState state)
    {
        Reserve(dimension, Count + 1);
        var row = _data.AsSpan(Count * Dimension, Dimension);
        if (state == RowState.Deleted || encoded is null || !Convert.TryFromBase64String(encoded, MemoryMarshal.AsBytes(row), out var written)
            || written != Dimension * sizeof(float))
        {
            row.Clear();
            state = RowState.Deleted;
        }

        _states[Count] = (byte)state;
        return Count++;
    }

    public void Set(int row, ReadOnlySpan<float> normalized) => normalized.CopyTo(_data.AsSpan(row * Dimension, Dimension));

    public void Clear()
    {
        _data = [];
        _states = [];
        Count = 0;
        Dimension = 0;
    }

    /// <summary>The stored form of a row: base64 of its float32 values (little-endian).</summary>
    public static string Encode(ReadOnlySpan<float> row) => Convert.ToBase64String(MemoryMarshal.AsBytes(row));

    /// <summary>Validates an embedding and returns a normalised copy.</summary>
    /// <exception cref="MemoryValidationException">Wrong dimension, NaN or infinite values, or a zero vector.</exception>
    public static float[] Normalize(float[]? vector, int expectedDimension, int maxDimension, string paramName)
    {
        if (vector is null || vector.Length == 0)
        {
            throw new MemoryValidationException($"{paramName} must not be empty.", paramName);
        }

        if (expectedDimension > 0 && vector.Length != expectedDimension)
        {
            throw new MemoryValidationException(
                $"{paramName} has dimension {vector.Length}; this user's embeddings have dimension {expectedDimension}.", paramName);
        }

        if (vector.Length > maxDimension)
        {
            throw new MemoryValidationException($"{paramName} has dimension {vector.Length}; the limit is {maxDimension}.", paramName);
        }

        for (var i = 0; i < vector.Length; i++)
        {
            if (!float.IsFinite(vector[i]))
            {
                throw new MemoryValidationException($"{paramName}[{i}] is {vector[i]}; embeddings must be finite numbers.", paramName);
            }
        }

        var norm = TensorPrimitives.Norm(vector);
        if (!(norm > 0) || !float.IsFinite(norm))
        {
            throw new MemoryValidationException($"{paramName} is a zero vector (or its norm is not finite); it has no direction to compare.", paramName);
        }

        var normalized = new float[vector.Length];
        TensorPrimitives.Divide(vector, norm, normalized);
        return normalized;
    }

    /// <summary>The <paramref name="topK"/> rows most similar to <paramref name="query"/> (normalised) with a score of at
    /// least <paramref name="minScore"/>, best first. <paramref name="accept"/> is asked only about rows that would enter
    /// the current top list, so expensive filters cost little.</summary>
    public List<(int Row, float Score)> Search(ReadOnlySpan<float> query, int topK, float minScore, bool includeArchived, Func<int, bool>? accept)
    {
        var rows = new int[topK];
        var scores = new float[topK];
        var found = 0;
        var floor = minScore;
        var dimension = Dimension;
        var data = _data;
        var states = _states;
        for (var row = 0; row < Count; row++)
        {
            var state = states[row];
            if (state == (byte)RowState.Deleted || (state == (byte)RowState.Archived && !includeArchived))
            {
                continue;
            }

            var score = TensorPrimitives.Dot(new ReadOnlySpan<float>(data, row * dimension, dimension), query);
            if (score < floor || (found == topK && score <= scores[topK - 1]) || (accept is not null && !accept(row)))
            {
                continue;
            }

            var at = found < topK ? found++ : topK - 1;
            while (at > 0 && scores[at - 1] < score)
            {
                scores[at] = scores[at - 1];
                rows[at] = rows[at - 1];
                at--;
            }

            scores[at] = score;
            rows[at] = row;
        }

        var result = new List<(int, float)>(found);
        for (var i = 0; i < found; i++)
        {
            result.Add((rows[i], scores[i]));
        }

        return result;
    }
}

/// <summary>The state of a row of <see cref="EmbeddingMatrix"/>.</summary>
internal enum RowState : byte
{
    Deleted = 0,
    Live = 1,
    Archived = 2,
}
