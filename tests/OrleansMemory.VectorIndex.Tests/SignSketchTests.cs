

namespace OrleansMemory.VectorIndex.Tests;

/// <summary>The add's duplicate and conflict check through <see cref="SignSketch"/> (<see cref="EmbeddingMatrix.SearchAbove"/>)
/// finds what the exact scan finds, in the same order, on random and on embedding-like data, and follows every change
/// of the rows.</summary>
public sealed class SignSketchTests
{
    private const int TopK = 6; // MaxConflictCandidates + 1

    // The last value: how many of the 150 queries the sketch must answer itself (the others fall back to the scan, which
    // is what it is compared with); at 128 dimensions and 0.55 this data puts many rows near the threshold.
    public static TheoryData<string, int, double, int> Cases => new()
    {
        { "random", 384, 0.8, 150 },
        { "random", 384, 0.55, 150 },
        { "embedding-like", 384, 0.8, 150 },
        { "embedding-like", 384, 0.55, 140 },
        { "embedding-like", 128, 0.55, 50 },
        { "embedding-like", 1536, 0.8, 150 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SearchAbove_finds_the_exact_scans_rows_in_its_order(string data, int dimension, double conflict, int minSketched)
    {
        var (matrix, like, random) = Build(data, dimension, rows: 6000);
        var threshold = (float)conflict;
        var sketched = 0;
        var expectedRows = 0;
        for (var q = 0; q < 150; q++)
        {
            // Planted near-duplicates from just under the threshold to identical, and fresh memories.
            var of = matrix.Row(Pick(matrix, random)).ToArray();
            var query = (q % 3) switch
            {
                0 => like.Near(of, conflict - 0.02 + ((1 - conflict + 0.02) * random.NextDouble())),
                1 => q % 2 == 0 ? of : like.Near(of, Math.Min(1, conflict + 0.001)),
                _ => Next(data, like, random, dimension),
            };
            query = EmbeddingMatrix.Normalize(query);

            var found = matrix.SearchAbove(query, TopK, threshold);
            sketched += matrix.LastSketchCandidates >= 0 ? 1 : 0;
            var exact = matrix.SearchExact(query, TopK, threshold, includeArchived: false, accept: null);
            var today = matrix.Search(query, TopK, threshold, includeArchived: false, accept: null);
            expectedRows += exact.Count;
            Assert.Equal(exact.Select(e => e.Row), found.Select(f => f.Row));
            Assert.Equal(today.Select(e => e.Row), found.Select(f => f.Row));
            Assert.All(found.Zip(today), p => Assert.Equal(p.Second.Score, p.First.Score));
            Assert.All(found, f => Assert.Equal(RowState.Live, matrix.GetState(f.Row)));
        }

        Assert.True(expectedRows >= 80, $"only {expectedRows} rows above the threshold: the comparison would prove little");
        // The sketch answered (no fallback to the scan) for nearly every query: the comparison is of the sketch's answers.
        Assert.True(sketched >= minSketched, $"the sketch answered {sketched} of 150 queries");
    }

    [Theory]
    [InlineData("random", 384)]
    [InlineData("embedding-like", 384)]
    [InlineData("axes", 256)]
    public void The_hamming_estimate_stays_well_inside_the_margin(string data, int dimension)
    {
        // Over many pairs, the observed share of differing bits minus angle / pi, in standard deviations of a binomial
        // with the true share: the bound assumes at most SignSketch.Sigmas (6). Axis-aligned sparse vectors are the
        // worst case for a structured rotation.
        var (matrix, like, random) = Build(data, dimension, rows: 3000);
        var sketch = matrix.Sketch;
        var worst = 0.0;
        var pairs = 0;
        for (var q = 0; q < 60; q++)
        {
            var query = EmbeddingMatrix.Normalize(q % 2 == 0 ? like.Near(matrix.Row(Pick(matrix, random)).ToArray(), 0.5 + (0.5 * random.NextDouble()))
                : Next(data, like, random, dimension));
            for (var row = 0; row < matrix.Count; row += 3)
            {
                var p = sketch.CentredAngle(query, matrix.Row(row)) / Math.PI;
                var observed = sketch.Distance(query, row) / (double)SignSketch.Bits;
                var sigma = Math.Sqrt(Math.Max(p * (1 - p), 1e-4) / SignSketch.Bits);
                worst = Math.Max(worst, (observed - p) / sigma);
                pairs++;
            }
        }

        Console.WriteLine($"{data} x {dimension}: worst deviation {worst:F2} sigmas over {pairs} pairs");
        Assert.True(worst < 4.5, $"worst deviation {worst:F2} sigmas over {pairs} pairs");
        Assert.True(worst > 1, $"worst deviation {worst:F2} sigmas over {pairs} pairs: the estimate looks too good to be a measurement");
    }

    [Fact]
    public void The_sketch_follows_updates_deletions_archives_appends_and_loads()
    {
        const int dimension = 128;
        var (matrix, like, random) = Build("embedding-like", dimension, rows: 4000);
        var threshold = 0.8f;
        void Same(float[] query)
        {
            query = EmbeddingMatrix.Normalize(query);
            var found = matrix.SearchAbove(query, TopK, threshold);
            Assert.True(matrix.LastSketchCandidates >= 0, "the sketch should have answered");
            Assert.Equal(matrix.SearchExact(query, TopK, threshold, false, null).Select(e => e.Row), found.Select(f => f.Row));
        }

        var fresh = EmbeddingMatrix.Normalize(like.Next());
        Same(like.Near(fresh, 0.97));

        // Update in place: row 10 gets the fresh direction, and is found by it.
        matrix.Set(10, fresh);
        Same(like.Near(fresh, 0.97));
        Assert.Equal(10, matrix.SearchAbove(fresh, TopK, threshold)[0].Row);

        // Archive and delete: gone from the check.
        matrix.SetState(10, RowState.Archived);
        Same(fresh);
        Assert.DoesNotContain(matrix.SearchAbove(fresh, TopK, threshold), f => f.Row == 10);
        matrix.SetState(10, RowState.Live);
        matrix.SetState(10, RowState.Deleted);
        Same(fresh);
        Assert.DoesNotContain(matrix.SearchAbove(fresh, TopK, threshold), f => f.Row == 10);

        // Appends (an add, an import) after the sketch was built.
        var added = matrix.Add(like.Near(fresh, 0.99), RowState.Live);
        var second = matrix.Add(like.Near(fresh, 0.98), RowState.Live);
        Same(fresh);
        Assert.Equal([added, second], matrix.SearchAbove(fresh, TopK, threshold).Select(f => f.Row).Take(2));

        // An activation's load (reset, rows decoded from their stored form) forgets the sketch; the new rows (another
        // direction altogether) build a new one.
        matrix.ResetForLoad(dimension, 3000);
        for (var i = 0; i < 3000; i++)
        {
            var v = EmbeddingMatrix.Normalize(Vectors.Random(dimension, random));
            matrix.DecodeRow(i, EmbeddingMatrix.Encode(v), RowState.Live);
        }

        Same(like.Near(matrix.Row(2999).ToArray(), 0.9));
        Assert.Equal(2999, matrix.SearchAbove(matrix.Row(2999).ToArray(), TopK, threshold)[0].Row);
    }

    [Theory]
    [InlineData(0.8)]
    [InlineData(0.55)]
    public void A_large_sketch_finds_the_same_rows(double conflict)
    {
        // 40,003 rows: a tail that is not a multiple of eight (scanned row by row after the blocks of eight).
        var (matrix, like, random) = Build("embedding-like", 64, rows: 40_003);
        var found = 0;
        for (var q = 0; q < 40; q++)
        {
            var of = matrix.Row(Pick(matrix, random)).ToArray();
            var query = EmbeddingMatrix.Normalize(q % 2 == 0 ? like.Near(of, conflict + (0.1 * random.NextDouble())) : like.Next());
            var above = matrix.SearchAbove(query, TopK, (float)conflict);
            Assert.Equal(matrix.SearchExact(query, TopK, (float)conflict, false, null).Select(e => e.Row), above.Select(f => f.Row));
            found += matrix.LastSketchCandidates >= 0 ? above.Count : 0;
        }

        Assert.True(found >= 20, $"the sketch itself answered with only {found} rows");
        var last = EmbeddingMatrix.Normalize(like.Near(matrix.Row(40_000).ToArray(), 0.99));
        Assert.Equal(40_000, matrix.SearchAbove(last, TopK, (float)conflict)[0].Row);
    }

    [Fact]
    public void A_sketch_far_behind_answers_with_the_scan_and_catches_up_in_slices()
    {
        const int dimension = 64;
        var (matrix, like, _) = Build("embedding-like", dimension, rows: EmbeddingMatrix.SketchRowsPerTurn + 3000, sketch: false);
        Assert.False(matrix.SketchReady);
        var query = EmbeddingMatrix.Normalize(like.Near(matrix.Row(matrix.Count - 1).ToArray(), 0.95));
        var first = matrix.SearchAbove(query, TopK, 0.8f);
        Assert.Equal(-1, matrix.LastSketchCandidates); // too far behind: the scan answered, a slice was sketched
        Assert.Equal(EmbeddingMatrix.SketchRowsPerTurn, matrix.Sketch.Covered);
        Assert.True(matrix.SketchSome());
        Assert.True(matrix.SketchReady);
        Assert.Equal(first, matrix.SearchAbove(query, TopK, 0.8f));
        Assert.True(matrix.LastSketchCandidates >= 1);
    }

    private static int Pick(EmbeddingMatrix matrix, Random random)
    {
        var row = random.Next(matrix.Count);
        return matrix.GetState(row) == RowState.Deleted ? row + 1 : row;
    }

    private static (EmbeddingMatrix Matrix, EmbeddingLikeData Like, Random Random) Build(string data, int dimension, int rows, bool sketch = true)
    {
        var like = new EmbeddingLikeData(dimension, rows + dimension);
        var random = new Random(dimension);
        var matrix = new EmbeddingMatrix();
        for (var i = 0; i < rows; i++)
        {
            var state = i % 20 == 7 ? RowState.Archived : RowState.Live;
            matrix.Add(EmbeddingMatrix.Normalize(Next(data, like, random, dimension)), state);
        }

        matrix.SetState(11, RowState.Deleted);
        // Identical twins: equal scores, ordered by row as in the scan.
        matrix.Set(rows - 1, matrix.Row(rows - 2));
        if (sketch)
        {
            matrix.SketchSome(int.MaxValue);
        }

        return (matrix, like, random);
    }

    private static float[] Next(string data, EmbeddingLikeData like, Random random, int dimension) => data switch
    {
        "random" => Vectors.Random(dimension, random),
        "axes" => Vectors.Near(dimension, random.Next(dimension), random.Next(dimension), random.NextDouble()),
        _ => like.Next(),
    };
}
