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

    /// <summary>Bytes held (codes and scales).</summary>
    public long Bytes => _codes.LongLength + (_scales.LongLength * sizeof(float));

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

        var factor = 127f / max;
        for (var i = 0; i < values.Length; i++)
        {
            codes[i] = (sbyte)Math.Clamp(MathF.Round(values[i] * factor), -127f, 127f);
        }

        return max / 127f;
    }

    /// <summary>Approximate scores of <paramref name="rows"/> rows from <paramref name="first"/> against a query
    /// quantized with <see cref="Quantize"/> and widened to 16 bits.</summary>
    public void Scores(int first, int rows, ReadOnlySpan<short> query, float queryScale, Span<float> scores)
    {
        var dimension = Dimension;
        ref var codes = ref MemoryMarshal.GetArrayDataReference(_codes);
        ref var q = ref MemoryMarshal.GetReference(query);
        var length = (nuint)dimension;
        var row = 0;
        if (Avx512BW.IsSupported && dimension % 32 == 0)
        {
            for (; row + 4 <= rows; row += 4)
            {
                var o0 = (nuint)(first + row) * length;
                var o1 = o0 + length;
                var o2 = o1 + length;
                var o3 = o2 + length;
                Vector512<int> a0 = default, a1 = default, a2 = default, a3 = default;
                for (nuint j = 0; j < length; j += 32)
                {
                    var qv = Vector512.LoadUnsafe(ref q, j);
                    a0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref codes, o0 + j)), qv);
                    a1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref codes, o1 + j)), qv);
                    a2 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref codes, o2 + j)), qv);
                    a3 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref codes, o3 + j)), qv);
                }

                scores[row] = Vector512.Sum(a0) * _scales[first + row] * queryScale;
                scores[row + 1] = Vector512.Sum(a1) * _scales[first + row + 1] * queryScale;
                scores[row + 2] = Vector512.Sum(a2) * _scales[first + row + 2] * queryScale;
                scores[row + 3] = Vector512.Sum(a3) * _scales[first + row + 3] * queryScale;
            }
        }
        else if (Avx2.IsSupported && dimension % 16 == 0)
        {
            for (; row + 4 <= rows; row += 4)
            {
                var o0 = (nuint)(first + row) * length;
                var o1 = o0 + length;
                var o2 = o1 + length;
                var o3 = o2 + length;
                Vector256<int> a0 = default, a1 = default, a2 = default, a3 = default;
                for (nuint j = 0; j < length; j += 16)
                {
                    var qv = Vector256.LoadUnsafe(ref q, j);
                    a0 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref codes, o0 + j)), qv);
                    a1 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref codes, o1 + j)), qv);
                    a2 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref codes, o2 + j)), qv);
                    a3 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref codes, o3 + j)), qv);
                }

                scores[row] = Vector256.Sum(a0) * _scales[first + row] * queryScale;
                scores[row + 1] = Vector256.Sum(a1) * _scales[first + row + 1] * queryScale;
                scores[row + 2] = Vector256.Sum(a2) * _scales[first + row + 2] * queryScale;
                scores[row + 3] = Vector256.Sum(a3) * _scales[first + row + 3] * queryScale;
            }
        }

        for (; row < rows; row++)
        {
            var offset = (first + row) * dimension;
            var sum = 0;
            for (var j = 0; j < dimension; j++)
            {
                sum += _codes[offset + j] * query[j];
            }

            scores[row] = sum * _scales[first + row] * queryScale;
        }
    }
}
