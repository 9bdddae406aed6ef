using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansMemory.Embeddings.Batching;
using OrleansMemory.Embeddings.Local;

namespace OrleansMemory.Embeddings.Benchmarks;

/// <summary>Embeddings per second: the encoder called directly (one text per call, and batches of 64: the baselines),
/// the batching generator with one caller and with 64 concurrent callers, and the silo over HTTP with 64 concurrent
/// text-only adds and text searches (and one caller), all in this run on the same texts.</summary>
internal static class SpeedBenchmark
{
    private const int Concurrency = 64;
    private const int Rounds = 3;

    public static async Task RunAsync(QualitySet set, TimeSpan duration, TextWriter output)
    {
        var texts = set.Users.SelectMany(u => u.Memories.Values).Concat(set.Distractors).ToArray();
        output.WriteLine($"Texts: {texts.Length} sentences of the labelled set, {texts.Average(t => t.Length):F0} characters on average; {duration.TotalSeconds:F0} s per figure; " +
            $"{Environment.ProcessorCount} cores, load average {LoadAverage()} at start.");
        var encoder = MiniLmModel.Encoder;
        encoder.Encode(texts[..64]);

        var single = Measure(duration, i => { encoder.Encode([texts[i % texts.Length]]); return 1; });
        var batched = Measure(duration, i => { encoder.Encode(Slice(texts, i * 64, 64)); return 64; });
        Report(output, "direct encoder, one text per call", single, null, null);
        Report(output, "direct encoder, batches of 64 (baseline)", batched, null, null);

        using var metrics = new EmbeddingMetrics();
        using (var generator = new BatchingEmbeddingGenerator(new MiniLmEmbeddingGenerator(), new EmbeddingBatchOptions(), metrics,
            NullLogger<BatchingEmbeddingGenerator>.Instance))
        {
            var one = await MeasureAsync(duration, 1, async (i, ct) => await generator.GenerateVectorAsync(texts[i % texts.Length], cancellationToken: ct)).ConfigureAwait(false);
            Report(output, "batching generator, 1 caller", one, single, "direct one text per call");
            var many = await MeasureAsync(duration, Concurrency, async (i, ct) => await generator.GenerateVectorAsync(texts[i % texts.Length], cancellationToken: ct)).ConfigureAwait(false);
            Report(output, $"batching generator, {Concurrency} concurrent callers", many, batched, "direct batched");
        }

        await using var silo = await SiloUnderTest.StartAsync().ConfigureAwait(false);
        await silo.PostAsync("/v1/users/warm/memories", new { text = "warm up" }).ConfigureAwait(false);
        var adds1 = await MeasureAsync(duration, 1, (i, ct) => Add(silo, $"s1-{i % 256}", texts[i % texts.Length], ct)).ConfigureAwait(false);
        Report(output, "silo HTTP text-only adds, 1 caller", adds1, single, "direct one text per call");

        // The target ratio, in alternating rounds so that a change of machine load hits both sides alike.
        var ratios = new List<double>();
        for (var round = 1; round <= Rounds; round++)
        {
            var baseline = Measure(duration, i => { encoder.Encode(Slice(texts, i * 64, 64)); return 64; });
            var adds = await MeasureAsync(duration, Concurrency, (i, ct) => Add(silo, $"s64-{i % 256}", texts[i % texts.Length], ct)).ConfigureAwait(false);
            Report(output, $"round {round}: silo HTTP text-only adds, {Concurrency} concurrent", adds, baseline, "direct batched");
            ratios.Add(adds / baseline);
            batched = baseline;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  silo path / direct batched, median of {Rounds} rounds: {ratios.Order().ElementAt(Rounds / 2):F2} (target >= 0.80)"));
        var oneUser = await MeasureAsync(duration, Concurrency, (i, ct) => Add(silo, "s64-one-user", texts[i % texts.Length], ct)).ConfigureAwait(false);
        Report(output, $"silo HTTP text-only adds, {Concurrency} concurrent to ONE user", oneUser, batched, "direct batched of the last round");
        var searches = await MeasureAsync(duration, Concurrency, (i, ct) => Search(silo, $"s64-{i % 256}", texts[(i * 7) % texts.Length], ct)).ConfigureAwait(false);
        Report(output, $"silo HTTP text searches, {Concurrency} concurrent", searches, batched, "direct batched of the last round");
        output.WriteLine($"Load average at end: {LoadAverage()}; process working set {Environment.WorkingSet / 1e6:F0} MB.");
    }

    private static string[] Slice(string[] texts, int start, int count) =>
        [.. Enumerable.Range(start, count).Select(i => texts[i % texts.Length])];

    private static async ValueTask Add(SiloUnderTest silo, string user, string text, CancellationToken ct) =>
        await silo.PostAsync($"/v1/users/{user}/memories", new { text, importance = 0.5 }, ct).ConfigureAwait(false);

    private static async ValueTask Search(SiloUnderTest silo, string user, string query, CancellationToken ct) =>
        await silo.PostAsync($"/v1/users/{user}/memories/search", new { query, topK = 5 }, ct).ConfigureAwait(false);

    private static double Measure(TimeSpan duration, Func<int, int> step)
    {
        var start = Stopwatch.GetTimestamp();
        long done = 0;
        var i = 0;
        while (Stopwatch.GetElapsedTime(start) < duration)
        {
            done += step(i++);
        }

        return done / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static async Task<double> MeasureAsync(TimeSpan duration, int callers, Func<int, CancellationToken, ValueTask> step)
    {
        using var stop = new CancellationTokenSource(duration);
        var next = -1;
        long done = 0;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await step(Interlocked.Increment(ref next), CancellationToken.None).ConfigureAwait(false);
                Interlocked.Increment(ref done);
            }
        }))).ConfigureAwait(false);
        return done / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static void Report(TextWriter output, string what, double rate, double? baseline, string? baselineName) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what}: {rate:F0}/s{(baseline is { } b ? $" = {rate / b:F2} x {baselineName} ({b:F0}/s)" : "")}"));

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
