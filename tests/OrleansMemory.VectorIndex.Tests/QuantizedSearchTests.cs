using System.Numerics.Tensors;

namespace OrleansMemory.VectorIndex.Tests;

/// <summary>Matrices past the exact-scan size (<see cref="EmbeddingMatrix.ExactScanRows"/>): the int8 scan with exact
/// re-rank finds what the exact scan finds, skipping deleted, archived and masked rows.</summary>
public sealed class QuantizedSearchTests
{
    private const int Dim = 64;

    [Theory]
    [InlineData(6000, Dim)]
    [InlineData(2500, 37)]  // a dimension padded to 40 (ten groups of four) and a last block of 4 rows
    [InlineData(2100, 30)]  // padded to 32
    [InlineData(3001, 384)] // 96 groups, the last of 188 blocks one row
    [InlineData(2300, 36)]  // nine groups: an odd count
    public void Quantized_search_returns_the_exact_top_10_with_exact_scores(int rows, int dimension)
    {
        var random = new Random(13);
        var matrix = new EmbeddingMatrix();
        for (var i = 0; i < rows; i++)
        {
            matrix.Add(EmbeddingMatrix.Normalize(Vectors.Random(dimension, random)), i % 5 == 1 ? RowState.Archived : RowState.Live);
        }

        matrix.SetState(17, RowState.Deleted);
        var mask = Enumerable.Range(0, rows).Select(i => i % 3 != 0).ToArray();
        int hits = 0, allHits = 0;
        for (var q = 0; q < 50; q++)
        {
            var query = EmbeddingMatrix.Normalize(Vectors.Random(dimension, random));
            var exact = matrix.SearchExact(query, 10, 0, includeArchived: false, accept: null, mask);
            var found = matrix.Search(query, 10, 0, includeArchived: false, accept: null, mask);
            Assert.All(found, f => Assert.True(f.Row != 17 && f.Row % 5 != 1 && f.Row % 3 != 0, $"row {f.Row} should have been skipped"));
            Assert.All(found, f => Assert.Equal(TensorPrimitives.Dot(matrix.Row(f.Row), query), f.Score, 5));
            Assert.Equal(found.OrderByDescending(f => f.Score).Select(f => f.Row), found.Select(f => f.Row));
            hits += found.Select(f => f.Row).Intersect(exact.Select(e => e.Row)).Count();

            // Unfiltered, archived rows included: every chunk but the one with the deleted row is scored whole.
            var all = matrix.Search(query, 10, 0, includeArchived: true, accept: null);
            Assert.DoesNotContain(all, f => f.Row == 17);
            allHits += all.Select(f => f.Row).Intersect(matrix.SearchExact(query, 10, 0, includeArchived: true, accept: null).Select(e => e.Row)).Count();
        }

        Assert.True(hits >= 0.99 * 50 * 10, $"recall@10 {hits / 500.0:F3}");
        Assert.True(allHits >= 0.99 * 50 * 10, $"recall@10 unfiltered {allHits / 500.0:F3}");
    }
}
