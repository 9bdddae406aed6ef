using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OrleansMemory.VectorIndex;

/// <summary>The scan: which rows may reach a threshold.</summary>
internal sealed partial class SignSketch
{
    /// <summary>Adds to <paramref name="candidates"/>, in row order, every covered row whose cosine with
    /// <paramref name="query"/> (normalised) may be at least <paramref name="threshold"/>. Returns false when more than
    /// <paramref name="limit"/> rows qualify (the threshold is too low for the sketch to help).</summary>
    public bool Candidates(ReadOnlySpan<float> query, float threshold, int limit, List<int> candidates)
    {
        var work = new float[_padded];
        var planes = _planes.Length;
        var queryBits = new ulong[planes * PlaneWords];
        var centredNorm = Rotate(query, work);
        Pack(work, queryBits);

        // Keep a row when spread * |q'| * upper[h] + along >= threshold - q.m + m.m (minus float rounding).
        var needed = threshold - TensorPrimitives.Dot(query, _mean) + _meanSquared - 1e-4f;
        var rows = ArrayPool<int>.Shared.Rent(Covered);
        var distances = ArrayPool<int>.Shared.Rent(Covered);
        var bound = new float[Bits + 1];
        try
        {
            var first = FirstPassPlanes(centredNorm, needed);
            TensorPrimitives.Multiply(_upper[first - 1], centredNorm, bound.AsSpan(0, _upper[first - 1].Length));
            var within = WithinForAnyRow(bound, first * PlaneBits, needed);
            var kept = FirstPass(first, queryBits, bound, needed, within, rows, distances, 0, Covered);

            for (var plane = first; plane < planes && kept > 0; plane++)
            {
                TensorPrimitives.Multiply(_upper[plane], centredNorm, bound.AsSpan(0, _upper[plane].Length));
                kept = NextPlane(plane, queryBits.AsSpan(plane * PlaneWords, PlaneWords), bound, needed, rows, distances, kept);
            }

            if (kept > limit)
            {
                return false;
            }

            candidates.AddRange(rows.AsSpan(0, kept));
            return true;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rows);
            ArrayPool<int>.Shared.Return(distances);
        }
    }

    /// <summary>The Hamming distance between the query's sketch and a covered row's (tests: the margin's check).</summary>
    public int Distance(ReadOnlySpan<float> query, int row)
    {
        var work = new float[_padded];
        var queryBits = new ulong[Bits / 64];
        Rotate(query, work);
        Pack(work, queryBits);
        var distance = 0;
        for (var plane = 0; plane < _planes.Length; plane++)
        {
            for (var w = 0; w < PlaneWords; w++)
            {
                distance += BitOperations.PopCount(queryBits[(plane * PlaneWords) + w] ^ _planes[plane][WordAt(row, w)]);
            }
        }

        return distance;
    }

    /// <summary>The angle between <c>q - m</c> and <c>x - m</c> in radians, exactly (tests).</summary>
    public double CentredAngle(ReadOnlySpan<float> query, ReadOnlySpan<float> row)
    {
        var q = new float[_dimension];
        var x = new float[_dimension];
        TensorPrimitives.Subtract(query, _mean, q);
        TensorPrimitives.Subtract(row, _mean, x);
        return Math.Acos(Math.Clamp(TensorPrimitives.CosineSimilarity(q, x), -1, 1));
    }

    /// <summary>Where word <paramref name="word"/> of a row's plane is: blocks of eight rows, word by word.</summary>
    private static int WordAt(int row, int word) => ((row & ~7) * PlaneWords) + (word * 8) + (row & 7);

    /// <summary>How many planes the first pass reads: the fewest whose bound already drops a typical unrelated row (one
    /// with the mean spread and mean projection, two standard deviations closer than half the bits), so that a low
    /// threshold does not make the first pass keep most rows for a second one.</summary>
    private int FirstPassPlanes(float centredNorm, float needed)
    {
        for (var planes = 1; planes < _planes.Length; planes++)
        {
            var bits = planes * PlaneBits;
            var typical = (int)((bits / 2) - Math.Sqrt(bits));
            if ((_spreadMean * centredNorm * _upper[planes - 1][typical]) + _alongMean < needed)
            {
                return planes;
            }
        }

        return _planes.Length;
    }

    /// <summary>The largest distance at which any row (the largest spread and projection seen) may still pass: a row
    /// further away fails without reading its floats.</summary>
    private int WithinForAnyRow(float[] bound, int bits, float needed)
    {
        var within = -1;
        while (within < bits && (_spreadMax * Math.Max(bound[within + 1], 0f)) + _alongMax >= needed)
        {
            within++;
        }

        return within;
    }

    /// <summary>The first <paramref name="planes"/> planes of rows [<paramref name="from"/>, <paramref name="to"/>)
    /// (<paramref name="from"/> a multiple of 8): writes the rows kept and their distances from index
    /// <paramref name="from"/> on; returns how many. With AVX-512BW, eight rows at a time (a nibble-table popcount per
    /// 64-bit lane).</summary>
    private int FirstPass(int planes, ulong[] queryBits, float[] bound, float needed, int within, int[] rows, int[] distances, int from, int to)
    {
        if (within < 0)
        {
            return 0; // not even an identical sketch would reach the threshold
        }

        var covered = to;
        var kept = from;
        var row = from;
        if (Avx512BW.IsSupported)
        {
            var table = Vector512.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
                0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
            var nibble = Vector512.Create((byte)0x0F);
            var limit = Vector512.Create((ulong)(uint)within);
            Span<Vector512<ulong>> query = stackalloc Vector512<ulong>[planes * PlaneWords];
            for (var i = 0; i < query.Length; i++)
            {
                query[i] = Vector512.Create(queryBits[i]);
            }

            for (; row + 8 <= covered; row += 8)
            {
                var sum = Vector512<ulong>.Zero;
                for (var plane = 0; plane < planes; plane++)
                {
                    ref var block = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_planes[plane]), (nint)row * PlaneWords);
                    for (var w = 0; w < PlaneWords; w++)
                    {
                        var x = (Vector512.LoadUnsafe(ref block, (nuint)(w * 8)) ^ query[(plane * PlaneWords) + w]).AsByte();
                        var counts = Avx512BW.Shuffle(table, x & nibble) + Avx512BW.Shuffle(table, Vector512.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & nibble);
                        sum += Avx512BW.SumAbsoluteDifferences(counts, Vector512<byte>.Zero).AsUInt64();
                    }
                }

                var near = Vector512.LessThanOrEqual(sum, limit).ExtractMostSignificantBits();
                while (near != 0)
                {
                    var lane = BitOperations.TrailingZeroCount(near);
                    near &= near - 1;
                    var distance = (int)sum.GetElement(lane);
                    if ((_spread[row + lane] * bound[distance]) + _along[row + lane] >= needed)
                    {
                        rows[kept] = row + lane;
                        distances[kept++] = distance;
                    }
                }
            }
        }

        for (; row < covered; row++)
        {
            var distance = 0;
            for (var plane = 0; plane < planes; plane++)
            {
                for (var w = 0; w < PlaneWords; w++)
                {
                    distance += BitOperations.PopCount(_planes[plane][WordAt(row, w)] ^ queryBits[(plane * PlaneWords) + w]);
                }
            }

            if (distance <= within && (_spread[row] * bound[distance]) + _along[row] >= needed)
            {
                rows[kept] = row;
                distances[kept++] = distance;
            }
        }

        return kept - from;
    }

    /// <summary>One more plane for the rows still in (compacted in place); returns how many stay.</summary>
    private int NextPlane(int plane, ReadOnlySpan<ulong> queryBits, float[] bound, float needed, int[] rows, int[] distances, int count)
    {
        var bits = _planes[plane];
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            var row = rows[i];
            var distance = distances[i];
            for (var w = 0; w < PlaneWords; w++)
            {
                distance += BitOperations.PopCount(bits[WordAt(row, w)] ^ queryBits[w]);
            }

            if ((_spread[row] * bound[distance]) + _along[row] >= needed)
            {
                rows[kept] = row;
                distances[kept++] = distance;
            }
        }

        return kept;
    }
}
