using OrleansMemory.Embeddings.Benchmarks;

// dotnet run -c Release --project bench/OrleansMemory.Embeddings.Benchmarks -- [quality|speed|all] [seconds per figure]
//   ... -- reference-vectors <reference-tokens.json> <reference-vectors.json>
var what = args.Length > 0 ? args[0] : "all";
if (what == "reference-vectors")
{
    ReferenceVectors.Write(args[1], args[2], Console.Out);
    return;
}

var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
var set = QualitySet.Load(Path.Combine(AppContext.BaseDirectory, "Quality"));
var workingSet = Environment.WorkingSet;
var start = System.Diagnostics.Stopwatch.GetTimestamp();
OrleansMemory.Embeddings.Local.MiniLmModel.EnsureLoaded();
Console.WriteLine($"Model {OrleansMemory.Embeddings.Local.MiniLmModel.ModelId} loaded in {System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds:F0} ms; " +
    $"process working set {workingSet / 1e6:F0} MB before, {Environment.WorkingSet / 1e6:F0} MB after.");
if (what is "quality" or "all")
{
    await QualityBenchmark.RunAsync(set, Console.Out);
}

if (what is "speed" or "all")
{
    await SpeedBenchmark.RunAsync(set, TimeSpan.FromSeconds(seconds), Console.Out);
}
