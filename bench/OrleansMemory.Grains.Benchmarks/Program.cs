using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansMemory.Grains.Benchmarks;
using OrleansMemory.Hosting;

// dotnet run -c Release --project bench/OrleansMemory.Grains.Benchmarks [-- --quick]
var quick = args.Contains("--quick");
var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.UseOrleans(silo => silo
    .UseLocalhostClustering()
    .UseSystemTextJsonGrainStorageSerializer()
    .AddMemoryGrainStorage("Default")
    .AddMemoryGrains());
using var host = builder.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();

Console.WriteLine($"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, " +
    $"Vector512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, Vector256 {System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated}");
Console.WriteLine();
Console.WriteLine("| memories x dim | grain p50 ms | grain p99 ms | matrix p50 ms | floor p50 ms | floor p99 ms | grain/floor p50 | matrix/floor p50 | grain min ms | floor min ms | grain CPU ms/query | floor CPU ms/query | queries | load |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
(int Count, int Dimension)[] sizes = quick ? [(10_000, 384)] : [(10_000, 384), (10_000, 1536), (100_000, 384), (100_000, 1536)];
foreach (var (count, dimension) in sizes)
{
    Console.WriteLine(await SearchBenchmark.RunAsync(grains, count, dimension, TimeSpan.FromSeconds(quick ? 1 : 3)));
    GC.Collect();
}

Console.WriteLine();
Console.WriteLine("| operation | p50 at 100 | p50 at 10,000 | ratio | p99 at 100 | p99 at 10,000 | samples |");
Console.WriteLine("|---|---|---|---|---|---|---|");
Console.WriteLine(await AppendBenchmark.RunAsync(grains, rounds: quick ? 2 : 5));
await host.StopAsync();
