using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OrleansMemory.Grains.Users;

/// <summary>A compact sketch of every row for range searches above a high similarity (the duplicate and conflict check
/// of an add): sign bits of the row minus a mean direction after a randomized Hadamard rotation (SimHash), plus two
/// floats per row. The Hamming distance between two sketches estimates the angle between the centred vectors; with the
/// floats it gives, per row, an upper confidence bound on the true cosine. Rows whose bound is below the threshold are
/// dropped; the others are confirmed exactly by the caller.
/// <para>The bound holds with a margin of <see cref="Sigmas"/> standard deviations of the Hamming estimate (Wilson
/// interval), so a row at the threshold is dropped with a probability of about 1e-9 per test; rows further above it,
/// never in practice. Real embeddings share a mean direction (anisotropy), which would put every row close to every
/// other; centring removes it, and the exact identity <c>q.x = q'.x' + q.m + x.m - m.m</c> (with <c>x' = x - m</c>)
/// turns the bound on <c>cos(q', x')</c> back into one on <c>q.x</c>.</para>
/// <para>The bits are kept in planes of 256 per row, scanned progressively: the first plane of every row, then the next
/// plane only for the rows still in, each test with the bound of the bits seen so far. Most rows leave after reading
/// 32 bytes.</para>
/// <para>Not thread-safe: the grain's own turns build, change and query it (readers on the pool never touch it). It is
/// built on first use from the rows present (mean included) and catches up with appended rows on each query; rows
/// changed in place are re-sketched by <see cref="Update"/>.</para></summary>
internal sealed class SignSketch
{
    /// <summary>Standard deviations of margin on the Hamming estimate of the angle.</summary>
    public const double Sigmas = 6;

    /// <summary>The smallest dimension worth sketching: below it the bound is too loose to drop anything.</summary>
    public const int MinDimension = 64;

    /// <summary>Bits per plane (four words).</summary>
    private const int PlaneBits = 256;

    private const int PlaneWords = PlaneBits / 64;

    /// <summary>Randomized Hadamard rounds (HD HD HD): three make the sign bits behave as random hyperplanes.</summary>
    private const int Rounds = 3;

    private ulong[][] _planes = [];
    private float[] _along = [];  // x . m per row
    private float[] _spread = []; // |x - m| per row
    private float[] _mean = [];
    private float[] _signs = [];    // Rounds x _padded random +-1
    private float[][] _upper = [];  // per plane count: upper bound on cos(q', x') per Hamming distance
    private float _meanSquared;
    private float _spreadMean;
    private float _alongMean;
    private float _spreadMax;
    private float _alongMax = float.NegativeInfinity;
    private int _dimension;
    private int _padded;

    /// <summary>Sign bits per row, whatever the dimension: the spread of the Hamming estimate depends only on the number
    /// of bits (about 0.5 / sqrt(bits) of the angle / pi). 1,024 keep about 2% of the rows at a conflict threshold of
    /// 0.55 on anisotropic, clustered data (bench part <c>similar</c>); 512 kept twice as many.</summary>
    public const int Bits = 1024;

    /// <summary>Rows sketched so far (rows from here on are sketched by the next <see cref="CatchUp"/>).</summary>
    public int Covered { get; private set; }

    /// <summary>The sketch's size per row in bytes (bits and the two floats).</summary>
    public const int BytesPerRow = (Bits / 8) + (2 * sizeof(float));

    /// <summary>Forgets everything (the matrix was cleared).</summary>
    public void Clear()
    {
        _planes = [];
        _along = [];
        _spread = [];
        _mean = [];
        _spreadMax = 0;
        _alongMax = float.NegativeInfinity;
        Covered = 0;
        _dimension = 0;
    }

    /// <summary>Sketches rows from <see cref="Covered"/> on, at most <paramref name="maxRows"/> of them, towards
    /// <paramref name="count"/> rows of <paramref name="data"/>; on first use (or after <see cref="Clear"/>) fixes the
    /// mean from the non-zero rows present. Returns whether all <paramref name="count"/> rows are covered.</summary>
    public bool CatchUp(ReadOnlySpan<float> data, int count, int dimension, int maxRows = int.MaxValue)
    {
        if (_dimension == 0)
        {
            Build(data, count, dimension);
        }

        if (count <= Covered)
        {
            return true;
        }

        var to = (int)Math.Min(count, (long)Covered + maxRows);
        Grow(to);
        var work = new float[_padded];
        for (var row = Covered; row < to; row++)
        {
            Sketch(row, data.Slice(row * dimension, dimension), work);
        }

        Covered = to;
        _spreadMean = TensorPrimitives.Sum(_spread.AsSpan(0, to)) / to;
        _alongMean = TensorPrimitives.Sum(_along.AsSpan(0, to)) / to;
        return to == count;
    }

    /// <summary>Re-sketches a row changed in place (a new embedding, or zeroed on deletion); rows not yet covered wait
    /// for the next <see cref="CatchUp"/>.</summary>
    public void Update(int row, ReadOnlySpan<float> normalized)
    {
        if (row < Covered)
        {
            Sketch(row, normalized, new float[_padded]);
        }
    }

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
            var kept = first == 1 ? FirstPlane(queryBits, bound, needed, rows, distances) : FirstPlanes(first, queryBits, bound, needed, rows, distances);
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

    /// <summary>The first plane of every row: writes the rows kept and their distances; returns how many.</summary>
    private int FirstPlane(ulong[] queryBits, float[] bound, float needed, int[] rows, int[] distances)
    {
        ulong q0 = queryBits[0], q1 = queryBits[1], q2 = queryBits[2], q3 = queryBits[3];
        ref var bits = ref MemoryMarshal.GetArrayDataReference(_planes[0]);
        ref var spread = ref MemoryMarshal.GetArrayDataReference(_spread);
        ref var along = ref MemoryMarshal.GetArrayDataReference(_along);
        ref var upper = ref MemoryMarshal.GetArrayDataReference(bound);
        var within = WithinForAnyRow(bound, PlaneBits, needed);
        var kept = 0;
        var covered = Covered;
        for (var row = 0; row < covered; row++)
        {
            ref var r = ref Unsafe.Add(ref bits, (nint)row * PlaneWords);
            var distance = BitOperations.PopCount(r ^ q0) + BitOperations.PopCount(Unsafe.Add(ref r, 1) ^ q1)
                + BitOperations.PopCount(Unsafe.Add(ref r, 2) ^ q2) + BitOperations.PopCount(Unsafe.Add(ref r, 3) ^ q3);
            if (distance <= within && (Unsafe.Add(ref spread, row) * Unsafe.Add(ref upper, distance)) + Unsafe.Add(ref along, row) >= needed)
            {
                rows[kept] = row;
                distances[kept++] = distance;
            }
        }

        return kept;
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
                distance += BitOperations.PopCount(queryBits[(plane * PlaneWords) + w] ^ _planes[plane][(row * PlaneWords) + w]);
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

    /// <summary>The first <paramref name="planes"/> planes of every row at once.</summary>
    private int FirstPlanes(int planes, ulong[] queryBits, float[] bound, float needed, int[] rows, int[] distances)
    {
        var within = WithinForAnyRow(bound, planes * PlaneBits, needed);
        var kept = 0;
        var covered = Covered;
        for (var row = 0; row < covered; row++)
        {
            var distance = 0;
            for (var plane = 0; plane < planes; plane++)
            {
                ref var r = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_planes[plane]), (nint)row * PlaneWords);
                ref var q = ref queryBits[plane * PlaneWords];
                distance += BitOperations.PopCount(r ^ q) + BitOperations.PopCount(Unsafe.Add(ref r, 1) ^ Unsafe.Add(ref q, 1))
                    + BitOperations.PopCount(Unsafe.Add(ref r, 2) ^ Unsafe.Add(ref q, 2)) + BitOperations.PopCount(Unsafe.Add(ref r, 3) ^ Unsafe.Add(ref q, 3));
            }

            if (distance <= within && (_spread[row] * bound[distance]) + _along[row] >= needed)
            {
                rows[kept] = row;
                distances[kept++] = distance;
            }
        }

        return kept;
    }

    /// <summary>One more plane for the rows still in (compacted in place); returns how many stay.</summary>
    private int NextPlane(int plane, ReadOnlySpan<ulong> queryBits, float[] bound, float needed, int[] rows, int[] distances, int count)
    {
        ulong q0 = queryBits[0], q1 = queryBits[1], q2 = queryBits[2], q3 = queryBits[3];
        ref var bits = ref MemoryMarshal.GetArrayDataReference(_planes[plane]);
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            var row = rows[i];
            ref var r = ref Unsafe.Add(ref bits, (nint)row * PlaneWords);
            var distance = distances[i] + BitOperations.PopCount(r ^ q0) + BitOperations.PopCount(Unsafe.Add(ref r, 1) ^ q1)
                + BitOperations.PopCount(Unsafe.Add(ref r, 2) ^ q2) + BitOperations.PopCount(Unsafe.Add(ref r, 3) ^ q3);
            if ((_spread[row] * bound[distance]) + _along[row] >= needed)
            {
                rows[kept] = row;
                distances[kept++] = distance;
            }
        }

        return kept;
    }

    private void Build(ReadOnlySpan<float> data, int count, int dimension)
    {
        _dimension = dimension;
        _padded = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(dimension, Bits));
        _planes = new ulong[Bits / PlaneBits][];
        Array.Fill(_planes, []);
        _mean = new float[dimension];
        var rows = 0;
        for (var row = 0; row < count; row++)
        {
            var x = data.Slice(row * dimension, dimension);
            if (TensorPrimitives.MaxMagnitude(x) != 0)
            {
                TensorPrimitives.Add(_mean, x, _mean);
                rows++;
            }
        }

        if (rows > 0)
        {
            TensorPrimitives.Divide(_mean, rows, _mean);
        }

        _meanSquared = TensorPrimitives.Dot(_mean, _mean);
        var random = new Random(_padded); // fixed: the same rotation in every activation (any would do)
        _signs = new float[Rounds * _padded];
        for (var i = 0; i < _signs.Length; i++)
        {
            _signs[i] = random.Next(2) == 0 ? 1f : -1f;
        }

        _upper = new float[_planes.Length][];
        for (var plane = 0; plane < _planes.Length; plane++)
        {
            _upper[plane] = UpperBounds((plane + 1) * PlaneBits);
        }
    }

    /// <summary>For each Hamming distance h out of <paramref name="bits"/>: the cosine of the smallest angle consistent
    /// with h at <see cref="Sigmas"/> standard deviations (Wilson interval on the share of differing hyperplanes, which
    /// is angle / pi).</summary>
    private static float[] UpperBounds(int bits)
    {
        var upper = new float[bits + 1];
        var z2 = Sigmas * Sigmas;
        for (var h = 0; h <= bits; h++)
        {
            var p = (double)h / bits;
            var low = (p + (z2 / (2 * bits)) - (Sigmas * Math.Sqrt((p * (1 - p) / bits) + (z2 / (4.0 * bits * bits))))) / (1 + (z2 / bits));
            upper[h] = (float)Math.Cos(Math.PI * Math.Clamp(low, 0, 1));
        }

        return upper;
    }

    private void Grow(int count)
    {
        if (count > _along.Length)
        {
            var capacity = Math.Max(count, Math.Max(1024, _along.Length * 2));
            for (var plane = 0; plane < _planes.Length; plane++)
            {
                Array.Resize(ref _planes[plane], capacity * PlaneWords);
            }

            Array.Resize(ref _along, capacity);
            Array.Resize(ref _spread, capacity);
        }
    }

    private void Sketch(int row, ReadOnlySpan<float> x, float[] work)
    {
        _spread[row] = Rotate(x, work);
        _along[row] = TensorPrimitives.Dot(x, _mean);
        _spreadMax = Math.Max(_spreadMax, _spread[row]);
        _alongMax = Math.Max(_alongMax, _along[row]);
        Span<ulong> packed = stackalloc ulong[Bits / 64];
        Pack(work, packed);
        for (var plane = 0; plane < _planes.Length; plane++)
        {
            packed.Slice(plane * PlaneWords, PlaneWords).CopyTo(_planes[plane].AsSpan(row * PlaneWords, PlaneWords));
        }
    }

    /// <summary>Writes the rotated, centred, zero-padded vector into <paramref name="work"/>; returns |x - m|.</summary>
    private float Rotate(ReadOnlySpan<float> x, float[] work)
    {
        var centred = work.AsSpan(0, _dimension);
        TensorPrimitives.Subtract(x, _mean, centred);
        work.AsSpan(_dimension).Clear();
        var norm = TensorPrimitives.Norm(centred);
        for (var round = 0; round < Rounds; round++)
        {
            TensorPrimitives.Multiply(work, _signs.AsSpan(round * _padded, _padded), work);
            Hadamard.Transform(work);
        }

        return norm;
    }

    /// <summary>One bit per value, for the first 64 x <paramref name="bits"/>.Length values: set when it is negative.</summary>
    private static void Pack(float[] values, Span<ulong> bits)
    {
        ref var v = ref MemoryMarshal.GetArrayDataReference(values);
        for (var w = 0; w < bits.Length; w++)
        {
            ulong word = 0;
            for (var k = 0; k < 8; k++)
            {
                word |= (ulong)Vector256.LoadUnsafe(ref v, (nuint)((w * 64) + (k * 8))).ExtractMostSignificantBits() << (k * 8);
            }

            bits[w] = word;
        }
    }
}
