using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansMemory.Embeddings.Batching;
using OrleansMemory.Embeddings.Local;

namespace OrleansMemory.Embeddings.Benchmarks;

/// <summary>One text at a time, one caller: the encoder called directly (the floor of an add's embedding: wall time and
/// process CPU per text) and the same texts through the batching generator with default options, in alternating
/// rounds of the same run so that a change of machine load hits both alike.</summary>
internal static class LatencyBenchmark
{
    public static async Task RunAsync(string[] texts, int perRound, int rounds, TextWriter output)
    {
        var encoder = MiniLmModel.Encoder;
        using var metrics = new EmbeddingMetrics();
        using var batcher = new BatchingEmbeddingGenerator(new MiniLmEmbeddingGenerator(), new EmbeddingBatchOptions(), metrics,
            NullLogger<BatchingEmbeddingGenerator>.Instance);
        for (var i = 0; i < 50; i++)
        {
            encoder.Encode([texts[i % texts.Length]]);
            await batcher.GenerateVectorAsync(texts[i % texts.Length]).ConfigureAwait(false);
        }

        output.WriteLine($"Single-text embeds, 1 caller: {rounds} rounds of {perRound} texts each way ({texts.Average(t => t.Length):F0} characters on average), " +
            $"{Environment.ProcessorCount} cores, load average {LoadAverage()}; session: {encoder.Options}.");
        var direct = new List<double>();
        var batched = new List<double>();
        TimeSpan directCpu = default, batchedCpu = default;
        for (var round = 0; round < rounds; round++)
        {
            var before = ProcessFigures.Now().Cpu;
            for (var i = 0; i < perRound; i++)
            {
                var start = Stopwatch.GetTimestamp();
                encoder.Encode([texts[i % texts.Length]]);
                direct.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            var middle = ProcessFigures.Now().Cpu;
            for (var i = 0; i < perRound; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await batcher.GenerateVectorAsync(texts[i % texts.Length]).ConfigureAwait(false);
                batched.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            directCpu += middle - before;
            batchedCpu += ProcessFigures.Now().Cpu - middle;
        }

        var total = perRound * rounds;
        Report(output, "encoder directly (floor)", direct, directCpu / total, null);
        Report(output, "batching generator, default options", batched, batchedCpu / total, direct);
    }

    private static void Report(TextWriter output, string what, List<double> ms, TimeSpan cpu, List<double>? baseline)
    {
        var p50 = Percentile(ms, 0.5);
        var against = baseline is null ? "" : string.Create(CultureInfo.InvariantCulture,
            $"; p50 = {p50 / Percentile(baseline, 0.5):F3} x the encoder's ({p50 - Percentile(baseline, 0.5):+0.000;-0.000} ms)");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what}: p50 {p50:F2} ms, p99 {Percentile(ms, 0.99):F2} ms, mean {ms.Average():F2} ms, CPU {cpu.TotalMilliseconds:F2} ms per text{against}"));
    }

    internal static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
