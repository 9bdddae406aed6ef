using System.Numerics.Tensors;


namespace OrleansMemory.VectorIndex.Tests;

public sealed class EmbeddingMatrixTests
{
    [Theory]
    [InlineData(103, 64)]  // blocked four-row kernel plus remainder rows
    [InlineData(10, 12)]   // dimension not a multiple of 8: one Dot per row
    [InlineData(600, 384)] // more than one block of rows
    public void Search_ranks_rows_exactly_as_a_dot_product_scan_does(int rows, int dimension)
    {
        var random = new Random(rows * dimension);
        var matrix = new EmbeddingMatrix();
        var vectors = new List<float[]>();
        for (var i = 0; i < rows; i++)
        {
            var v = EmbeddingMatrix.Normalize(Vectors.Random(dimension, random));
            vectors.Add(v);
            matrix.Add(v, i % 7 == 3 ? RowState.Archived : RowState.Live);
        }

        matrix.SetState(5, RowState.Deleted);
        var query = EmbeddingMatrix.Normalize(Vectors.Random(dimension, random));
        var expected = Enumerable.Range(0, rows)
            .Where(i => i != 5 && i % 7 != 3)
            .Select(i => (Row: i, Score: TensorPrimitives.Dot(vectors[i], query)))
            .OrderByDescending(x => x.Score)
            .Take(10)
            .ToList();

        var found = matrix.Search(query, 10, minScore: 0, includeArchived: false, accept: null);
        var positive = expected.Where(e => e.Score >= 0).ToList();
        Assert.Equal(positive.Select(e => e.Row), found.Select(f => f.Row));
        Assert.All(found.Zip(positive), p => Assert.Equal(p.Second.Score, p.First.Score, 4));

        var withArchived = matrix.Search(query, rows, minScore: 0, includeArchived: true, accept: row => row % 2 == 0);
        Assert.All(withArchived, f => Assert.True(f.Row % 2 == 0 && f.Row != 5));
        Assert.Equal(Enumerable.Range(0, rows).Count(i => i % 2 == 0 && i != 5 && TensorPrimitives.Dot(vectors[i], query) >= 0), withArchived.Count);
        Assert.Throws<ArgumentException>(() => matrix.Search(new float[dimension + 1], 1, 0, false, null));
    }

    [Theory]
    [InlineData(600)]    // the exact scan
    [InlineData(5000)]   // int8 candidates, then re-ranked
    [InlineData(30000)]  // the int8 scan split across cores (more than 8 MiB of codes)
    public void Searches_in_a_row_rank_alike_though_their_lists_come_from_one_pool(int rows)
    {
        // The top-k lists are rented and given back: a search must not see what an earlier one (with another k, another
        // floor) left in the arrays it gets.
        const int Dimension = 384;
        var random = new Random(rows);
        var matrix = new EmbeddingMatrix();
        var vectors = new List<float[]>();
        for (var i = 0; i < rows; i++)
        {
            vectors.Add(EmbeddingMatrix.Normalize(Vectors.Random(Dimension, random)));
            matrix.Add(vectors[i], RowState.Live);
        }

        foreach (var (topK, minScore) in new[] { (100, 0f), (1, 0f), (37, 0.05f), (10, 0f), (3, 0.9f), (10, 0f) })
        {
            var raw = Vectors.Random(Dimension, random);
            var query = new float[Dimension + 5]; // a pooled buffer is longer than the vector
            query.AsSpan().Fill(float.NaN);
            EmbeddingMatrix.Normalize(raw, query);
            Assert.Equal(EmbeddingMatrix.Normalize(raw), query[..Dimension]);
            Assert.All(query[Dimension..], value => Assert.True(float.IsNaN(value)));

            var expected = Enumerable.Range(0, rows)
                .Select(i => (Row: i, Score: TensorPrimitives.Dot(vectors[i], raw) / TensorPrimitives.Norm(raw)))
                .Where(x => x.Score >= minScore)
                .OrderByDescending(x => x.Score)
                .Take(topK)
                .ToList();
            var found = matrix.Search(query.AsSpan(0, Dimension), topK, minScore, includeArchived: false, accept: null, candidates: 400);
            Assert.Equal(expected.Select(e => e.Row), found.Select(f => f.Row));
            Assert.Equal(found.Select(f => f.Row), matrix.SearchExact(query.AsSpan(0, Dimension), topK, minScore, false, null).Select(f => f.Row));
        }
    }
}
