using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OrleansMemory.VectorIndex;

/// <summary>Two-stage search: an int8 scan picks candidates, an exact float32 dot product re-ranks them.</summary>
public sealed partial class EmbeddingMatrix
{
    /// <summary>Below this many rows the exact float32 scan is as fast as the quantized one, and it is exact.</summary>
    public const int ExactScanRows = 2048;

    /// <summary>Candidates re-ranked exactly when the caller does not say (at least twice top-k).</summary>
    public const int DefaultCandidates = 100;

    /// <summary>From this many int8 bytes on, the scan is split across the cores (one partition per core, at most 4).</summary>
    private const long ParallelScanBytes = 8L << 20;

    /// <summary>How far below <c>minScore</c> an approximate score may be and still be re-ranked: the int8 error on a
    /// normalised dot product is a few 1e-4.</summary>
    private const float ApproximationSlack = 0.02f;

    /// <summary>The <paramref name="topK"/> rows most similar to <paramref name="query"/> (normalised) with a score of at
    /// least <paramref name="minScore"/>, best first, scores exact. Small matrices are scanned exactly
    /// (<see cref="SearchExact"/>); larger ones are scanned in int8 for the best <paramref name="candidates"/> rows
    /// (split across cores when large), which are then re-ranked with their float32 rows. Rows whose
    /// <paramref name="mask"/> entry is false are skipped; <paramref name="accept"/> is asked only about rows that would
    /// enter the candidate list.</summary>
    public List<(int Row, float Score)> Search(ReadOnlySpan<float> query, int topK, float minScore, bool includeArchived, Func<int, bool>? accept,
        bool[]? mask = null, int candidates = DefaultCandidates)
    {
        if (query.Length != Dimension && Count > 0)
        {
            throw new ArgumentException($"The query has dimension {query.Length}; the matrix has {Dimension}.", nameof(query));
        }

        if (Count < ExactScanRows)
        {
            return SearchExact(query, topK, minScore, includeArchived, accept, mask);
        }

        candidates = Math.Max(candidates, 2 * topK);
        var codes = ArrayPool<byte>.Shared.Rent(_quantized.PaddedDimension);
        try
        {
            var queryScale = _quantized.QuantizeQuery(query, codes);

            var floor = minScore - ApproximationSlack;
            var parts = (long)Count * Dimension >= ParallelScanBytes ? Math.Clamp(Environment.ProcessorCount, 1, 4) : 1;
            TopK found;
            if (parts == 1)
            {
                found = ScanQuantized(0, Count, codes, queryScale, candidates, floor, includeArchived, mask, accept);
            }
            else
            {
                var tops = new TopK[parts];
                var per = ((Count / parts) + BlockRows - 1) / BlockRows * BlockRows;
                Parallel.For(0, parts, p =>
                    tops[p] = ScanQuantized(p * per, Math.Min(Count, (p + 1) * per), codes, queryScale, candidates, floor, includeArchived, mask, accept));
                found = new TopK(candidates, floor);
                foreach (var part in tops)
                {
                    for (var i = 0; i < part.Found; i++)
                    {
                        var (row, score) = part[i];
                        if (found.Beats(score))
                        {
                            found.Add(row, score);
                        }
                    }

                    part.Release();
                }
            }

            // The candidates' float32 rows are scattered over the matrix: fetch a few rows ahead, so that the misses
            // overlap instead of each row's first miss stalling its dot product.
            var top = new TopK(topK, minScore);
            for (var i = 0; i < found.Found; i++)
            {
                if (i + PrefetchAhead < found.Found)
                {
                    PrefetchRow(found[i + PrefetchAhead].Row);
                }

                var row = found[i].Row;
                var exact = TensorPrimitives.Dot(Row(row), query);
                if (top.Beats(exact))
                {
                    top.Add(row, exact);
                }
            }

            found.Release();
            return top.TakeList();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(codes);
        }
    }

    /// <summary>The int8 pass over rows [from, to) (from a multiple of <see cref="QuantizedRows.BlockRows"/>), in chunks
    /// of <see cref="BlockRows"/>: a chunk whose rows are all kept is scored whole; otherwise the rows kept (by state and
    /// mask) are a bit mask, blocks of 16 with none are not read, and only kept rows are offered. Only scores that reach
    /// the candidate list's current threshold are looked at one by one, and <paramref name="accept"/> is asked only about
    /// rows that would enter.</summary>
    private TopK ScanQuantized(int from, int to, byte[] query, float queryScale, int candidates, float floor, bool includeArchived, bool[]? mask,
        Func<int, bool>? accept)
    {
        const int Lanes = QuantizedRows.BlockRows;
        var top = new TopK(candidates, floor);
        Span<float> block = stackalloc float[BlockRows];
        Span<ulong> kept = stackalloc ulong[BlockRows / 64];
        Span<bool> skip = stackalloc bool[BlockRows / Lanes];
        var states = _states;
        for (var first = from; first < to; first += BlockRows)
        {
            var rows = Math.Min(BlockRows, to - first);
            var blocks = (rows + Lanes - 1) / Lanes;
            var blockStates = states.AsSpan(first, rows);
            var dense = mask is null && (includeArchived
                ? blockStates.IndexOfAnyExcept((byte)RowState.Live, (byte)RowState.Archived)
                : blockStates.IndexOfAnyExcept((byte)RowState.Live)) < 0;
            if (dense)
            {
                _quantized.ScoreBlocks(first / Lanes, blocks, query, queryScale, block);
            }
            else
            {
                KeptRows(first, rows, includeArchived, mask, kept);
                for (var b = 0; b < blocks; b++)
                {
                    skip[b] = ((kept[b / 4] >> (b % 4 * Lanes)) & 0xFFFF) == 0;
                }

                _quantized.ScoreBlocks(first / Lanes, blocks, query, queryScale, block, skip[..blocks]);
            }

            var i8 = 0;
            var threshold = Vector256.Create(top.Threshold);
            for (; i8 + Vector256<float>.Count <= rows; i8 += Vector256<float>.Count)
            {
                var reaching = Vector256.GreaterThanOrEqual(Vector256.Create(block.Slice(i8, Vector256<float>.Count)), threshold).ExtractMostSignificantBits();
                if (!dense)
                {
                    reaching &= (uint)(kept[i8 / 64] >> (i8 % 64)) & 0xFF; // rows not kept (their blocks may not even be scored)
                }

                while (reaching != 0)
                {
                    var i = i8 + BitOperations.TrailingZeroCount(reaching);
                    reaching &= reaching - 1;
                    Offer(ref top, first + i, block[i], accept);
                }

                threshold = Vector256.Create(top.Threshold);
            }

            for (; i8 < rows; i8++)
            {
                if ((dense || ((kept[i8 / 64] >> (i8 % 64)) & 1) != 0) && block[i8] >= top.Threshold)
                {
                    Offer(ref top, first + i8, block[i8], accept);
                }
            }
        }

        return top;
    }

    /// <summary>Sets bit i of <paramref name="bits"/> for each row first + i of [first, first + rows) that the scan
    /// keeps: live (or archived when included) and in the mask, 32 rows per vector compare.</summary>
    private void KeptRows(int first, int rows, bool includeArchived, bool[]? mask, Span<ulong> bits)
    {
        bits.Clear();
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var states = ref MemoryMarshal.GetArrayDataReference(_states);
            var live = Vector256.Create((byte)RowState.Live);
            var archived = Vector256.Create(includeArchived ? (byte)RowState.Archived : (byte)RowState.Live);
            for (; i + 32 <= rows && first + i + 32 <= _states.Length && (mask is null || first + i + 32 <= mask.Length); i += 32)
            {
                var state = Vector256.LoadUnsafe(ref states, (nuint)(first + i));
                var keep = Vector256.Equals(state, live) | Vector256.Equals(state, archived);
                if (mask is not null)
                {
                    var masked = Vector256.LoadUnsafe(ref Unsafe.As<bool, byte>(ref MemoryMarshal.GetArrayDataReference(mask)), (nuint)(first + i));
                    keep &= ~Vector256.Equals(masked, Vector256<byte>.Zero);
                }

                bits[i / 64] |= (ulong)keep.ExtractMostSignificantBits() << (i % 64);
            }
        }

        for (; i < rows; i++)
        {
            var row = first + i;
            var state = _states[row];
            if (state != (byte)RowState.Deleted && (state != (byte)RowState.Archived || includeArchived) && (mask is null || mask[row]))
            {
                bits[i / 64] |= 1UL << (i % 64);
            }
        }
    }

    /// <summary>How many candidates ahead of the re-rank their float32 rows are fetched.</summary>
    private const int PrefetchAhead = 4;

    /// <summary>Asks for every cache line of a float32 row (a hint; nothing happens without SSE).</summary>
    private unsafe void PrefetchRow(int row)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        var bytes = Dimension * sizeof(float);
        fixed (float* data = _data)
        {
            var start = (byte*)(data + ((long)row * Dimension));
            for (var offset = 0; offset < bytes; offset += 64)
            {
                Sse.Prefetch0(start + offset);
            }
        }
    }

    private static void Offer(ref TopK top, int row, float score, Func<int, bool>? accept)
    {
        if (top.Beats(score) && (accept is null || accept(row)))
        {
            top.Add(row, score);
        }
    }
}
