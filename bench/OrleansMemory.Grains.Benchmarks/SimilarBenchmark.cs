using System.Diagnostics;
using OrleansMemory.VectorIndex.Tests;
using OrleansMemory.VectorIndex;

namespace OrleansMemory.Grains.Benchmarks;

/// <summary>The add's duplicate and conflict check alone (<see cref="EmbeddingMatrix.SearchAbove"/>, top 6 at or above
/// the conflict threshold) against today's int8 scan (<see cref="EmbeddingMatrix.Search"/>) and the exact float32 scan
/// (<see cref="EmbeddingMatrix.SearchExact"/>), on the same matrix in the same run. Half the queries are planted
/// near-duplicates of stored rows (cosine spread from just under the conflict threshold to 0.999), half fresh
/// memories from the same distribution; a query counts as found when its rows and their order equal the exact scan's.</summary>
internal static class SimilarBenchmark
{
    public const string Header = "| data | memories x dim | thresholds dup / conflict | check p50 ms | int8 scan (today) p50 ms | exact scan p50 ms | check / today | " +
        "rows kept by the sketch (mean) | fell back | exact rows found / expected | queries equal to the exact scan | sketch build ms | sketch MB |\n" +
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    public static string Run(string data, int count, int dimension, double duplicate, double conflict, int queries)
    {
        var matrix = new EmbeddingMatrix();
        var like = new EmbeddingLikeData(dimension, count + dimension);
        var random = new Random(7);
        matrix.Reserve(dimension, count);
        for (var i = 0; i < count; i++)
        {
            var v = data == "random" ? BenchData.RandomVector(random, dimension) : like.Next();
            matrix.Add(EmbeddingMatrix.Normalize(v), i % 20 == 7 ? RowState.Archived : RowState.Live);
        }

        var threshold = (float)conflict;
        var topK = 6;
        var build = Stopwatch.GetTimestamp();
        matrix.SketchSome(int.MaxValue); // once per activation, in slices between calls (timed apart)
        var buildMs = Stopwatch.GetElapsedTime(build).TotalMilliseconds;
        var check = new Percentiles();
        var today = new Percentiles();
        var exact = new Percentiles();
        long expectedRows = 0, foundRows = 0, kept = 0, fellBack = 0, equal = 0;
        for (var q = 0; q < queries; q++)
        {
            float[] query;
            if (q % 2 == 0)
            {
                var of = matrix.Row(random.Next(count)).ToArray();
                var cosine = conflict - 0.02 + ((0.999 - conflict + 0.02) * random.NextDouble());
                query = data == "random" ? Near(of, cosine, random) : like.Near(of, cosine);
            }
            else
            {
                query = data == "random" ? BenchData.RandomVector(random, dimension) : like.Next();
            }

            query = EmbeddingMatrix.Normalize(query);
            var t = Stopwatch.GetTimestamp();
            var found = matrix.SearchAbove(query, topK, threshold);
            check.Add(t);
            if (matrix.LastSketchCandidates < 0)
            {
                fellBack++;
            }
            else
            {
                kept += matrix.LastSketchCandidates;
            }

            t = Stopwatch.GetTimestamp();
            matrix.Search(query, topK, threshold, includeArchived: false, accept: null);
            today.Add(t);
            t = Stopwatch.GetTimestamp();
            var truth = matrix.SearchExact(query, topK, threshold, includeArchived: false, accept: null);
            exact.Add(t);
            expectedRows += truth.Count;
            foundRows += truth.Select(r => r.Row).Intersect(found.Select(f => f.Row)).Count();
            equal += truth.Select(r => r.Row).SequenceEqual(found.Select(f => f.Row)) ? 1 : 0;
        }

        var sketched = queries - fellBack;
        return $"| {data} | {count:N0} x {dimension} | {duplicate:F2} / {conflict:F2} | {check.P(50):F3} | {today.P(50):F3} | {exact.P(50):F3} | " +
            $"{check.P(50) / today.P(50):F2}x | {(sketched == 0 ? "-" : $"{kept / (double)sketched:F0} ({kept * 100.0 / sketched / count:F2}%)")} | " +
            $"{fellBack} of {queries} | {foundRows} / {expectedRows} | {equal} / {queries} | {buildMs:F0} | {count * (double)SignSketch.BytesPerRow / (1 << 20):F1} |";
    }

    private static float[] Near(float[] of, double cosine, Random random)
    {
        var noise = EmbeddingMatrix.Normalize(BenchData.RandomVector(random, of.Length));
        var along = System.Numerics.Tensors.TensorPrimitives.Dot(noise, of);
        for (var i = 0; i < of.Length; i++)
        {
            noise[i] -= along * of[i];
        }

        noise = EmbeddingMatrix.Normalize(noise);
        var sin = Math.Sqrt(1 - (cosine * cosine));
        return [.. of.Select((x, i) => (float)((cosine * x) + (sin * noise[i])))];
    }
}
