using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OrleansMemory.Grains.Users;

/// <summary>An int8 copy of normalised rows for the first, approximate pass of a search: each row is scaled so that its
/// largest absolute value maps to 127 (symmetric, per-row scale), so a row is a quarter of its float32 bytes and a scan
/// reads a quarter of the memory. A score is <c>dot(codes, queryCodes) * rowScale * queryScale</c>; the error is a
/// few 1e-4 for normalised vectors, which an exact re-rank of the best candidates removes.</summary>
internal sealed class QuantizedRows
{
    private sbyte[] _codes = [];
    private float[] _scales = [];

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
        }
    }

    /// <summary>Quantizes a normalised row into place (a zero row for a deleted one).</summary>
    public void Set(int row, ReadOnlySpan<float> normalized)
    {
        _scales[row] = Quantize(normalized, _codes.AsSpan(row * Dimension, Dimension));
    }

    public void Clear()
    {
        _codes = [];
        _scales = [];
        Dimension = 0;
    }

    /// <summary>Quantizes a vector into <paramref name="codes"/>; returns the scale that maps codes back to values.</summary>
    public static float Quantize(ReadOnlySpan<float> values, Span<sbyte> codes)
    {
        var max = TensorPrimitives.MaxMagnitude(values);
        max = Math.Abs(max);
        if (!(max > 0))
        {
            codes.Clear();
            return 0;
        }

        // Vectorised: scale so the largest magnitude is 127, round to nearest, convert (saturating: never past ±127).
        var scaled = ArrayPool<float>.Shared.Rent(values.Length);
        try
        {
            var span = scaled.AsSpan(0, values.Length);
            TensorPrimitives.Multiply(values, 127f / max, span);
            TensorPrimitives.Round(span, span);
            TensorPrimitives.Clamp(span, -127f, 127f, span);
            TensorPrimitives.ConvertSaturating<float, sbyte>(span, codes);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scaled);
        }

        return max / 127f;
    }

    /// <summary>Approximate scores of the given rows (any order) against a query quantized with <see cref="Quantize"/> and
    /// widened to 16 bits; a filtered search reads only the rows it keeps.</summary>
    public void ScoresOf(ReadOnlySpan<int> rows, ReadOnlySpan<short> query, float queryScale, Span<float> scores)
    {
        var dimension = Dimension;
        ref var codes = ref MemoryMarshal.GetArrayDataReference(_codes);
        ref var q = ref MemoryMarshal.GetReference(query);
        var length = (nuint)dimension;
        var i = 0;
        if (Avx512BW.IsSupported && dimension % 32 == 0)
        {
            for (; i + 4 <= rows.Length; i += 4)
            {
                var o0 = (nuint)rows[i] * length;
                var o1 = (nuint)rows[i + 1] * length;
                var o2 = (nuint)rows[i + 2] * length;
                var o3 = (nuint)rows[i + 3] * length;
                Vector512<int> a0 = default, a1 = default, a2 = default, a3 = default;
                for (nuint j = 0; j < length; j += 32)
                {
                    var qv = Vector512.LoadUnsafe(ref q, j);
                    a0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref codes, o0 + j)), qv);
                    a1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref codes, o1 + j)), qv);
                    a2 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref codes, o2 + j)), qv);
                    a3 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref codes, o3 + j)), qv);
                }

                scores[i] = Vector512.Sum(a0) * _scales[rows[i]] * queryScale;
                scores[i + 1] = Vector512.Sum(a1) * _scales[rows[i + 1]] * queryScale;
                scores[i + 2] = Vector512.Sum(a2) * _scales[rows[i + 2]] * queryScale;
                scores[i + 3] = Vector512.Sum(a3) * _scales[rows[i + 3]] * queryScale;
            }
        }
        else if (Avx2.IsSupported && dimension % 16 == 0)
        {
            for (; i + 4 <= rows.Length; i += 4)
            {
                var o0 = (nuint)rows[i] * length;
                var o1 = (nuint)rows[i + 1] * length;
                var o2 = (nuint)rows[i + 2] * length;
                var o3 = (nuint)rows[i + 3] * length;
                Vector256<int> a0 = default, a1 = default, a2 = default, a3 = default;
                for (nuint j = 0; j < length; j += 16)
                {
                    var qv = Vector256.LoadUnsafe(ref q, j);
                    a0 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref codes, o0 + j)), qv);
                    a1 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref codes, o1 + j)), qv);
                    a2 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref codes, o2 + j)), qv);
                    a3 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref codes, o3 + j)), qv);
                }

                scores[i] = Vector256.Sum(a0) * _scales[rows[i]] * queryScale;
                scores[i + 1] = Vector256.Sum(a1) * _scales[rows[i + 1]] * queryScale;
                scores[i + 2] = Vector256.Sum(a2) * _scales[rows[i + 2]] * queryScale;
                scores[i + 3] = Vector256.Sum(a3) * _scales[rows[i + 3]] * queryScale;
            }
        }

        for (; i < rows.Length; i++)
        {
            var offset = rows[i] * dimension;
            var sum = 0;
            for (var j = 0; j < dimension; j++)
            {
                sum += _codes[offset + j] * query[j];
            }

            scores[i] = sum * _scales[rows[i]] * queryScale;
        }
    }
}
