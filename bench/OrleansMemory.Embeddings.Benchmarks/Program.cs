using OrleansMemory.Embeddings.Benchmarks;

// dotnet run -c Release --project bench/OrleansMemory.Embeddings.Benchmarks -- [quality|speed|all] [seconds per figure]
var what = args.Length > 0 ? args[0] : "all";
var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;
var set = QualitySet.Load(Path.Combine(AppContext.BaseDirectory, "Quality"));
if (what is "quality" or "all")
{
    await QualityBenchmark.RunAsync(set, Console.Out);
}

if (what is "speed" or "all")
{
    await SpeedBenchmark.RunAsync(set, TimeSpan.FromSeconds(seconds), Console.Out);
}
