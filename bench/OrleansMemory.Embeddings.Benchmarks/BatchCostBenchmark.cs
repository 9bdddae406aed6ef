using System.Diagnostics;
using OrleansMemory.Embeddings.Local;

namespace OrleansMemory.Embeddings.Benchmarks;

/// <summary>What one text costs the encoder by batch size: process CPU and texts per second, for a session with one
/// intra-op thread and with two (the default on two cores), with one runner and with two runs at the same time. It says
/// how much batching can save, and what ONNX Runtime's threads cost when the cores are shared; and the resident memory a
/// second session costs.</summary>
internal static class BatchCostBenchmark
{
    private static readonly int[] BatchSizes = [1, 2, 4, 8, 16, 64];

    public static void Run(string[] texts, TimeSpan perCase, TextWriter output)
    {
        output.WriteLine($"Encoder cost per text by batch size ({perCase.TotalSeconds:F0} s a case, {Environment.ProcessorCount} cores, " +
            $"load average {LatencyBenchmark.LoadAverage()}):");
        output.WriteLine("| intra-op threads | runs at once | batch | CPU ms per text | texts/s |");
        output.WriteLine("|---:|---:|---:|---:|---:|");
        var rss = new List<double> { ProcessFigures.Now().RssMb };
        var encoders = new List<MiniLmEncoder>(); // both kept: the second one's resident memory is what it would cost a silo
        try
        {
            foreach (var threads in new[] { 1, 2 })
            {
                var encoder = new MiniLmEncoder(MiniLmSessionOptions.Default with { IntraOpThreads = threads });
                encoders.Add(encoder);
                foreach (var runners in new[] { 1, 2 })
                {
                    foreach (var batch in BatchSizes)
                    {
                        var (cpu, embedded, seconds) = Measure(encoder, texts, batch, runners, perCase);
                        output.WriteLine($"| {threads} | {runners} | {batch} | {cpu / embedded:F2} | {embedded / seconds:F0} |");
                    }
                }

                GC.Collect();
                rss.Add(ProcessFigures.Now().RssMb);
            }
        }
        finally
        {
            encoders.ForEach(e => e.Dispose());
        }

        output.WriteLine($"Resident memory: {rss[0]:F0} MB before, {rss[1]:F0} MB with the one-thread session, {rss[2]:F0} MB with both sessions " +
            $"(the second costs {rss[2] - rss[1]:F0} MB).");
    }

    private static (double CpuMs, long Texts, double Seconds) Measure(MiniLmEncoder encoder, string[] texts, int batch, int runners, TimeSpan duration)
    {
        string[] Batch(int first) => [.. Enumerable.Range(first, batch).Select(i => texts[i % texts.Length])];
        for (var w = 0; w < 5; w++)
        {
            encoder.Encode(Batch(w * batch));
        }

        var done = 0L;
        var cpu = ProcessFigures.Now().Cpu;
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, runners).Select(r => new Thread(() =>
        {
            for (var next = r * 997; clock.Elapsed < duration; next += batch)
            {
                encoder.Encode(Batch(next));
                Interlocked.Add(ref done, batch);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return ((ProcessFigures.Now().Cpu - cpu).TotalMilliseconds, done, clock.Elapsed.TotalSeconds);
    }
}
