using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OrleansMemory.Grains.Users;

/// <summary>An int8 copy of normalised rows for the first, approximate pass of a search: each row is scaled so that its
/// largest absolute value maps to 127 (symmetric, per-row scale), so a row is a quarter of its float32 bytes and a scan
/// reads a quarter of the memory. The query is quantized to 7 bits and shifted to unsigned (<see cref="QuantizeQuery"/>),
/// so that one <c>vpmaddubsw</c> multiplies 64 (AVX-512BW) or 32 (AVX2) code pairs at once without widening the row
/// first; the shift is taken back with each row's code sum. A score is
/// <c>(dot(codes, queryCodes) - 64 * rowSum) * rowScale * queryScale</c>; the error is about 1e-3 for normalised
/// vectors, which an exact re-rank of the best candidates removes.</summary>
internal sealed class QuantizedRows
{
    /// <summary>Added to a query code (-63..63) to make it unsigned (1..127); two products of a 7-bit unsigned and an
    /// 8-bit signed code never saturate 16 bits (2 * 127 * 127 &lt; 32,767).</summary>
    private const int QueryOffset = 64;

    private sbyte[] _codes = [];
    private float[] _scales = [];
    private int[] _sums = [];

    /// <summary>The dimension; 0 until the first row.</summary>
    public int Dimension { get; private set; }

    /// <summary>Makes room for exactly <paramref name="capacity"/> rows of <paramref name="dimension"/> (the float32
    /// matrix decides how it grows).</summary>
    public void Reserve(int dimension, int capacity)
    {
        Dimension = dimension;
        if (capacity > _scales.Length)
        {
            Array.Resize(ref _codes, capacity * dimension);
            Array.Resize(ref _scales, capacity);
            Array.Resize(ref _sums, capacity);
        }
    }

    /// <summary>Quantizes a normalised row into place (a zero row for a deleted one).</summary>
    public void Set(int row, ReadOnlySpan<float> normalized)
    {
        var codes = _codes.AsSpan(row * Dimension, Dimension);
        _scales[row] = Quantize(normalized, codes, 127);
        var sum = 0;
        foreach (var code in codes)
        {
            sum += code;
        }

        _sums[row] = sum;
    }

    public void Clear()
    {
        _codes = [];
        _scales = [];
        _sums = [];
        Dimension = 0;
    }

    /// <summary>Quantizes a query for <see cref="ScoresOf"/>: 7-bit codes shifted to 1..127; returns its scale.</summary>
    public static float QuantizeQuery(ReadOnlySpan<float> query, Span<byte> codes)
    {
        var signed = MemoryMarshal.Cast<byte, sbyte>(codes);
        var scale = Quantize(query, signed, 63);
        TensorPrimitives.Add(codes, (byte)QueryOffset, codes); // -63..63 as two's complement + 64 wraps to 1..127
        return scale;
    }

    /// <summary>Quantizes a vector into codes within ±<paramref name="limit"/>; returns the scale that maps codes back
    /// to values.</summary>
    private static float Quantize(ReadOnlySpan<float> values, Span<sbyte> codes, int limit)
    {
        var max = Math.Abs(TensorPrimitives.MaxMagnitude(values));
        if (!(max > 0))
        {
            codes.Clear();
            return 0;
        }

        // Vectorised: scale so the largest magnitude is the limit, round to nearest, convert (never past ±limit).
        var scaled = ArrayPool<float>.Shared.Rent(values.Length);
        try
        {
            var span = scaled.AsSpan(0, values.Length);
            TensorPrimitives.Multiply(values, limit / max, span);
            TensorPrimitives.Round(span, span);
            TensorPrimitives.Clamp(span, -limit, limit, span);
            TensorPrimitives.ConvertSaturating<float, sbyte>(span, codes);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scaled);
        }

        return max / limit;
    }

    /// <summary>Approximate scores of the given rows (any order) against a query from <see cref="QuantizeQuery"/>; a
    /// filtered search reads only the rows it keeps.</summary>
    public void ScoresOf(ReadOnlySpan<int> rows, ReadOnlySpan<byte> query, float queryScale, Span<float> scores) =>
        Scores(new ListedRows(rows), rows.Length, query, queryScale, scores);

    /// <summary>Approximate scores of rows [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>)
    /// against a query from <see cref="QuantizeQuery"/>.</summary>
    public void ScoresOfRange(int first, int count, ReadOnlySpan<byte> query, float queryScale, Span<float> scores) =>
        Scores(new RowRange(first), count, query, queryScale, scores);

    /// <summary>The kernel: four rows share each load of the query.</summary>
    private void Scores<TRows>(TRows rows, int count, ReadOnlySpan<byte> query, float queryScale, Span<float> scores)
        where TRows : IRowSource, allows ref struct
    {
        var dimension = Dimension;
        ref var codes = ref MemoryMarshal.GetArrayDataReference(_codes);
        ref var q = ref MemoryMarshal.GetReference(query);
        var length = (nuint)dimension;
        var i = 0;
        if (Avx512BW.IsSupported && dimension % Vector512<byte>.Count == 0)
        {
            var ones = Vector512<short>.One;
            for (; i + 4 <= count; i += 4)
            {
                var o0 = (nuint)rows.Row(i) * length;
                var o1 = (nuint)rows.Row(i + 1) * length;
                var o2 = (nuint)rows.Row(i + 2) * length;
                var o3 = (nuint)rows.Row(i + 3) * length;
                Vector512<int> a0 = default, a1 = default, a2 = default, a3 = default;
                for (nuint j = 0; j < length; j += (nuint)Vector512<byte>.Count)
                {
                    var qv = Vector512.LoadUnsafe(ref q, j);
                    a0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(qv, Vector512.LoadUnsafe(ref codes, o0 + j)), ones);
                    a1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(qv, Vector512.LoadUnsafe(ref codes, o1 + j)), ones);
                    a2 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(qv, Vector512.LoadUnsafe(ref codes, o2 + j)), ones);
                    a3 += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(qv, Vector512.LoadUnsafe(ref codes, o3 + j)), ones);
                }

                scores[i] = Score(Vector512.Sum(a0), rows.Row(i), queryScale);
                scores[i + 1] = Score(Vector512.Sum(a1), rows.Row(i + 1), queryScale);
                scores[i + 2] = Score(Vector512.Sum(a2), rows.Row(i + 2), queryScale);
                scores[i + 3] = Score(Vector512.Sum(a3), rows.Row(i + 3), queryScale);
            }
        }
        else if (Avx2.IsSupported && dimension % Vector256<byte>.Count == 0)
        {
            var ones = Vector256<short>.One;
            for (; i + 4 <= count; i += 4)
            {
                var o0 = (nuint)rows.Row(i) * length;
                var o1 = (nuint)rows.Row(i + 1) * length;
                var o2 = (nuint)rows.Row(i + 2) * length;
                var o3 = (nuint)rows.Row(i + 3) * length;
                Vector256<int> a0 = default, a1 = default, a2 = default, a3 = default;
                for (nuint j = 0; j < length; j += (nuint)Vector256<byte>.Count)
                {
                    var qv = Vector256.LoadUnsafe(ref q, j);
                    a0 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(qv, Vector256.LoadUnsafe(ref codes, o0 + j)), ones);
                    a1 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(qv, Vector256.LoadUnsafe(ref codes, o1 + j)), ones);
                    a2 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(qv, Vector256.LoadUnsafe(ref codes, o2 + j)), ones);
                    a3 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(qv, Vector256.LoadUnsafe(ref codes, o3 + j)), ones);
                }

                scores[i] = Score(Vector256.Sum(a0), rows.Row(i), queryScale);
                scores[i + 1] = Score(Vector256.Sum(a1), rows.Row(i + 1), queryScale);
                scores[i + 2] = Score(Vector256.Sum(a2), rows.Row(i + 2), queryScale);
                scores[i + 3] = Score(Vector256.Sum(a3), rows.Row(i + 3), queryScale);
            }
        }

        for (; i < count; i++)
        {
            var offset = rows.Row(i) * dimension;
            var sum = 0;
            for (var j = 0; j < dimension; j++)
            {
                sum += _codes[offset + j] * query[j];
            }

            scores[i] = Score(sum, rows.Row(i), queryScale);
        }
    }

    /// <summary>A row's score from its dot product with the shifted query codes.</summary>
    private float Score(int shiftedDot, int row, float queryScale) => (shiftedDot - (QueryOffset * _sums[row])) * _scales[row] * queryScale;

    /// <summary>Where the kernel's i-th row is: a list of rows or a range.</summary>
    private interface IRowSource
    {
        int Row(int i);
    }

    private readonly ref struct ListedRows(ReadOnlySpan<int> rows) : IRowSource
    {
        private readonly ReadOnlySpan<int> _rows = rows;

        public int Row(int i) => _rows[i];
    }

    private readonly struct RowRange(int first) : IRowSource
    {
        public int Row(int i) => first + i;
    }
}
