using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OrleansMemory.VectorIndex;

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
/// 32 bytes. Within a plane, rows are interleaved in blocks of eight (word w of rows 8b..8b+7 side by side), so that an
/// AVX-512 register holds one word of eight rows (see SignSketch.Scan.cs).</para>
/// <para>Not thread-safe: the grain's own turns build, change and query it (readers on the pool never touch it). It is
/// built on first use from the rows present (mean included) and catches up with appended rows on each query; rows
/// changed in place are re-sketched by <see cref="Update"/>.</para></summary>
internal sealed partial class SignSketch
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
        Grow(count); // room for every row there is now (slices after an activation would double it past the count)
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
            var capacity = (Math.Max(count, Math.Max(1024, _along.Length * 2)) + 7) & ~7;
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
            for (var w = 0; w < PlaneWords; w++)
            {
                _planes[plane][WordAt(row, w)] = packed[(plane * PlaneWords) + w];
            }
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
