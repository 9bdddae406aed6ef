using OrleansMemory.Embeddings.Benchmarks;

// dotnet run -c Release --project bench/OrleansMemory.Embeddings.Benchmarks -- [quality|speed|all] [seconds per figure]
//   ... -- latency [texts per round] [rounds]       single-text embed: encoder directly (the floor) vs the batching generator
//   ... -- batch-cost [seconds per case]            encoder CPU per text by batch size, 1 or 2 intra-op threads, 1 or 2 runs at once
//   ... -- onnx-memory [embeds] [rounds] [variant,variant...]   RSS and speed of ONNX session settings, each in a child process
//   ... -- silo-memory [adds] [callers]             silo RSS with the model loaded and one user growing to [adds] memories
//   ... -- reference-vectors <reference-tokens.json> <reference-vectors.json>
var what = args.Length > 0 ? args[0] : "all";
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], System.Globalization.CultureInfo.InvariantCulture) : fallback;
var set = QualitySet.Load(Path.Combine(AppContext.BaseDirectory, "Quality"));
string[] AllTexts() => [.. set.Users.SelectMany(u => u.Memories.Values).Concat(set.Distractors)];
switch (what)
{
    case "reference-vectors":
        ReferenceVectors.Write(args[1], args[2], Console.Out);
        return;
    case "onnx-variant":
        OnnxMemoryBenchmark.RunVariant(args[1], Arg(2, 1000), AllTexts(), Console.Out);
        return;
    case "silo-memory":
        await SiloMemoryBenchmark.RunAsync(Arg(1, 10_000), Arg(2, 8), Console.Out);
        return;
    case "batch-cost":
        BatchCostBenchmark.Run(AllTexts(), TimeSpan.FromSeconds(Arg(1, 3)), Console.Out);
        return;
    case "onnx-memory":
        await OnnxMemoryBenchmark.RunAsync(Arg(1, 1000), Arg(2, 1), args.Length > 3 ? args[3] : null, Console.Out);
        return;
}

var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
var workingSet = Environment.WorkingSet;
var start = System.Diagnostics.Stopwatch.GetTimestamp();
OrleansMemory.Embeddings.Local.MiniLmModel.EnsureLoaded();
Console.WriteLine($"Model {OrleansMemory.Embeddings.Local.MiniLmModel.ModelId} loaded in {System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds:F0} ms; " +
    $"process working set {workingSet / 1e6:F0} MB before, {Environment.WorkingSet / 1e6:F0} MB after.");
if (what is "quality" or "all")
{
    await QualityBenchmark.RunAsync(set, Console.Out);
}

if (what == "latency")
{
    await LatencyBenchmark.RunAsync(AllTexts(), Arg(1, 500), Arg(2, 3), Console.Out);
}

if (what is "speed" or "all")
{
    await SpeedBenchmark.RunAsync(set, TimeSpan.FromSeconds(seconds), Console.Out);
}
