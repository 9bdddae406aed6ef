using System.Numerics.Tensors;

namespace OrleansMemory.VectorIndex;

/// <summary>The range search of an add's duplicate and conflict check: the few live rows at or above a high similarity,
/// found through <see cref="SignSketch"/> (a bit per dimension) instead of a scan of every int8 row, and scored
/// exactly.</summary>
public sealed partial class EmbeddingMatrix
{
    /// <summary>The share of rows (1 in this many) above which the sketch gives up and the ordinary search runs: the
    /// threshold is too low for the sketch to drop enough rows.</summary>
    private const int MaxCandidateShare = 16;

    /// <summary>Rows a <see cref="SearchAbove"/> sketches before answering (about 30 ms on a quiet machine at most);
    /// when more are missing (activation, a large import) it answers with <see cref="Search"/> and sketches this many,
    /// and <see cref="SketchSome"/> does the rest between calls.</summary>
    public const int SketchRowsPerTurn = 8192;

    private readonly SignSketch _sketch = new();

    /// <summary>The sketch (tests and benchmarks look inside).</summary>
    internal SignSketch Sketch => _sketch;

    /// <summary>Whether every row is sketched (or the matrix is too small or narrow to need it).</summary>
    public bool SketchReady => Count < ExactScanRows || Dimension < SignSketch.MinDimension || _sketch.Covered == Count;

    /// <summary>Sketches up to <paramref name="maxRows"/> more rows (a slice of the work, for a timer between calls);
    /// returns whether all are sketched.</summary>
    public bool SketchSome(int maxRows = SketchRowsPerTurn) => SketchReady || _sketch.CatchUp(Data, Count, Dimension, maxRows);

    /// <summary>Rows the sketch kept in the last <see cref="SearchAbove"/>; -1 when it used the ordinary search.</summary>
    public int LastSketchCandidates { get; private set; } = -1;

    /// <summary>The <paramref name="topK"/> live rows (archived ones skipped) most similar to <paramref name="query"/>
    /// (normalised) with a score of at least <paramref name="minScore"/>, best first, scores exact: the same rows and
    /// scores as <see cref="Search"/> with the same arguments. Small matrices, low thresholds (the sketch would keep
    /// more than 1 row in <see cref="MaxCandidateShare"/>) and dimensions under <see cref="SignSketch.MinDimension"/>
    /// take <see cref="Search"/>; otherwise the sketch picks the rows that may reach <paramref name="minScore"/> and
    /// each is scored with its float32 row. Call it from the grain's turn only (the sketch is the writer's).</summary>
    public List<(int Row, float Score)> SearchAbove(ReadOnlySpan<float> query, int topK, float minScore)
    {
        LastSketchCandidates = -1;
        if (Count < ExactScanRows || Dimension < SignSketch.MinDimension || query.Length != Dimension)
        {
            return Search(query, topK, minScore, includeArchived: false, accept: null);
        }

        var candidates = new List<int>();
        if (!_sketch.CatchUp(Data, Count, Dimension, SketchRowsPerTurn) || !_sketch.Candidates(query, minScore, Count / MaxCandidateShare, candidates))
        {
            return Search(query, topK, minScore, includeArchived: false, accept: null);
        }

        LastSketchCandidates = candidates.Count;
        var top = new TopK(topK, minScore);
        foreach (var row in candidates)
        {
            if (_states[row] != (byte)RowState.Live)
            {
                continue;
            }

            var exact = TensorPrimitives.Dot(Row(row), query);
            if (top.Beats(exact))
            {
                top.Add(row, exact);
            }
        }

        return top.TakeList();
    }
}
