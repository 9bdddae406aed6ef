using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OrleansMemory.VectorIndex;

/// <summary>An int8 copy of normalised rows for the first, approximate pass of a search: each row is scaled so that its
/// largest absolute value maps to 127 (symmetric, per-row scale), so a row is a quarter of its float32 bytes and a scan
/// reads a quarter of the memory. The query is quantized to 7 bits and shifted to unsigned (<see cref="QuantizeQuery"/>),
/// so that one <c>vpmaddubsw</c> multiplies 64 (AVX-512BW) or 32 (AVX2) code pairs at once without widening the row
/// first; the shift is taken back with each row's code sum. A score is
/// <c>(dot(codes, queryCodes) - 64 * rowSum) * rowScale * queryScale</c>; the error is about 1e-3 for normalised
/// vectors, which an exact re-rank of the best candidates removes.
/// <para>Rows are stored in blocks of <see cref="BlockRows"/>, interleaved by groups of four dimensions: a block holds,
/// for each group, 16 rows x 4 codes (64 bytes), so that one vector of four query codes broadcast times one 64-byte load
/// gives partial dot products of 16 rows at once, and the block's 16 dot products end in the 16 lanes of one
/// accumulator: no horizontal sum per row (the row-by-row layout spent about half of its time summing lanes and
/// scoring rows one by one). The dimension is padded to a multiple of four with zero codes.</para></summary>
internal sealed class QuantizedRows
{
    /// <summary>Rows per block: the lanes of one 512-bit accumulator of 32-bit sums.</summary>
    public const int BlockRows = 16;

    /// <summary>Bytes per group of a block: 16 rows x 4 codes.</summary>
    private const int GroupBytes = BlockRows * 4;

    /// <summary>Added to a query code (-63..63) to make it unsigned (1..127); two products of a 7-bit unsigned and an
    /// 8-bit signed code never saturate 16 bits (2 * 127 * 127 &lt; 32,767).</summary>
    private const int QueryOffset = 64;

    private sbyte[] _codes = [];
    private float[] _scales = [];
    private int[] _sums = [];

    /// <summary>The dimension; 0 until the first row.</summary>
    public int Dimension { get; private set; }

    /// <summary>The dimension padded to a multiple of four: the length of a query's codes.</summary>
    public int PaddedDimension { get; private set; }

    private int Groups => PaddedDimension / 4;

    /// <summary>Makes room for at least <paramref name="capacity"/> rows of <paramref name="dimension"/> (the float32
    /// matrix decides how it grows; whole blocks are kept).</summary>
    public void Reserve(int dimension, int capacity)
    {
        Dimension = dimension;
        PaddedDimension = (dimension + 3) & ~3;
        var rows = (capacity + BlockRows - 1) / BlockRows * BlockRows;
        if (rows > _scales.Length)
        {
            Array.Resize(ref _codes, rows * PaddedDimension);
            Array.Resize(ref _scales, rows);
            Array.Resize(ref _sums, rows);
        }
    }

    /// <summary>Quantizes a normalised row into place (a zero row for a deleted one). Different rows may be set from
    /// different threads at once (they share no bytes).</summary>
    public void Set(int row, ReadOnlySpan<float> normalized)
    {
        var padded = PaddedDimension;
        var rented = ArrayPool<sbyte>.Shared.Rent(padded);
        try
        {
            var codes = rented.AsSpan(0, padded);
            codes[Dimension..].Clear();
            _scales[row] = Quantize(normalized, codes[..Dimension], 127);
            var sum = 0;
            foreach (var code in codes)
            {
                sum += code;
            }

            _sums[row] = sum;
            var words = MemoryMarshal.Cast<sbyte, int>(codes);
            ref var block = ref Unsafe.As<sbyte, int>(ref _codes[row / BlockRows * BlockRows * padded]);
            var lane = row % BlockRows;
            for (var g = 0; g < words.Length; g++)
            {
                Unsafe.Add(ref block, (g * BlockRows) + lane) = words[g];
            }
        }
        finally
        {
            ArrayPool<sbyte>.Shared.Return(rented);
        }
    }

    public void Clear()
    {
        _codes = [];
        _scales = [];
        _sums = [];
        Dimension = 0;
        PaddedDimension = 0;
    }

    /// <summary>Quantizes a query for <see cref="ScoreBlocks"/>: 7-bit codes shifted to 1..127 in the first
    /// <see cref="PaddedDimension"/> bytes of <paramref name="codes"/> (padding included); returns its scale.</summary>
    public float QuantizeQuery(ReadOnlySpan<float> query, Span<byte> codes)
    {
        codes = codes[..PaddedDimension];
        codes.Clear();
        var scale = Quantize(query, MemoryMarshal.Cast<byte, sbyte>(codes[..query.Length]), 63);
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

    /// <summary>Approximate scores of every row of blocks [<paramref name="firstBlock"/>, + <paramref name="blocks"/>)
    /// against a query from <see cref="QuantizeQuery"/>, 16 per block, into <paramref name="scores"/>. Blocks whose
    /// <paramref name="skip"/> entry is true are not read (their scores are left as they are).</summary>
    public void ScoreBlocks(int firstBlock, int blocks, ReadOnlySpan<byte> query, float queryScale, Span<float> scores, ReadOnlySpan<bool> skip = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scores.Length, blocks * BlockRows);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((firstBlock + blocks) * BlockRows, _scales.Length);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Length, PaddedDimension);
        Span<int> dots = stackalloc int[BlockRows];
        for (var b = 0; b < blocks; b++)
        {
            if (!skip.IsEmpty && skip[b])
            {
                continue;
            }

            var block = firstBlock + b;
            DotProducts(block, query, dots);
            var row = block * BlockRows;
            var output = scores.Slice(b * BlockRows, BlockRows);
            if (Vector512.IsHardwareAccelerated)
            {
                var shifted = Vector512.Create<int>(dots) - (Vector512.Create<int>(_sums.AsSpan(row, BlockRows)) * QueryOffset);
                (Vector512.ConvertToSingle(shifted) * Vector512.Create<float>(_scales.AsSpan(row, BlockRows)) * queryScale).CopyTo(output);
            }
            else
            {
                for (var i = 0; i < BlockRows; i++)
                {
                    output[i] = (dots[i] - (QueryOffset * _sums[row + i])) * _scales[row + i] * queryScale;
                }
            }
        }
    }

    /// <summary>The kernel: the 16 shifted dot products of one block.</summary>
    private void DotProducts(int block, ReadOnlySpan<byte> query, Span<int> dots)
    {
        var groups = Groups;
        ref var codes = ref Unsafe.As<sbyte, byte>(ref MemoryMarshal.GetArrayDataReference(_codes));
        ref var blockStart = ref Unsafe.Add(ref codes, (nint)block * BlockRows * PaddedDimension);
        ref var q = ref MemoryMarshal.GetReference(query);
        if (Avx512BW.IsSupported)
        {
            var ones = Vector512<short>.One;
            Vector512<int> even = default, odd = default;
            var g = 0;
            for (; g + 2 <= groups; g += 2)
            {
                var q0 = Vector512.Create(Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref q, g * 4))).AsByte();
                var q1 = Vector512.Create(Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref q, (g * 4) + 4))).AsByte();
                even += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(q0, Vector512.LoadUnsafe(ref blockStart, (nuint)(g * GroupBytes)).AsSByte()), ones);
                odd += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(q1, Vector512.LoadUnsafe(ref blockStart, (nuint)((g + 1) * GroupBytes)).AsSByte()), ones);
            }

            if (g < groups)
            {
                var q0 = Vector512.Create(Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref q, g * 4))).AsByte();
                even += Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(q0, Vector512.LoadUnsafe(ref blockStart, (nuint)(g * GroupBytes)).AsSByte()), ones);
            }

            (even + odd).CopyTo(dots);
        }
        else if (Avx2.IsSupported)
        {
            var ones = Vector256<short>.One;
            Vector256<int> low = default, high = default;
            for (var g = 0; g < groups; g++)
            {
                var q0 = Vector256.Create(Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref q, g * 4))).AsByte();
                var offset = (nuint)(g * GroupBytes);
                low += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(q0, Vector256.LoadUnsafe(ref blockStart, offset).AsSByte()), ones);
                high += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(q0, Vector256.LoadUnsafe(ref blockStart, offset + 32).AsSByte()), ones);
            }

            low.CopyTo(dots);
            high.CopyTo(dots[8..]);
        }
        else
        {
            dots.Clear();
            for (var g = 0; g < groups; g++)
            {
                for (var lane = 0; lane < BlockRows; lane++)
                {
                    for (var k = 0; k < 4; k++)
                    {
                        var code = (sbyte)Unsafe.Add(ref blockStart, (g * GroupBytes) + (lane * 4) + k);
                        dots[lane] += code * Unsafe.Add(ref q, (g * 4) + k);
                    }
                }
            }
        }
    }
}
