using System.Globalization;
using OrleansMemory.Cluster.Benchmarks;

// dotnet run -c Release --project bench/OrleansMemory.Cluster.Benchmarks [-- [local|remote|memory]... [--quick]]
// Without a case name: all three. "client" is the separate client process this program starts itself.
var settings = BenchSettings.From(args);
if (args.Length > 0 && args[0] == "client")
{
    var gatewayPort = int.Parse(args[1], CultureInfo.InvariantCulture);
    var echoPort = int.Parse(args[2], CultureInfo.InvariantCulture);
    return await ClientProcess.RunAsync(gatewayPort, echoPort, args.Skip(3).ToArray(), settings);
}

var cases = args.Where(a => a is "local" or "remote" or "memory").ToArray();
if (cases.Length == 0)
{
    cases = ["local", "remote", "memory"];
}

Console.WriteLine($"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, " +
    $"server GC {System.Runtime.GCSettings.IsServerGC}, load average {LoadAverage.Read()}, {(settings.Quick ? "--quick" : "full run")}, " +
    $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
await using var silo = await BenchSilo.StartAsync();
if (cases.Contains("local"))
{
    await LocalBenchmarks.RunAsync(silo.Grains, settings);
}

var remoteCases = cases.Where(c => c is "remote" or "memory").ToArray();
if (remoteCases.Length > 0)
{
    var exit = await ClientProcess.StartAndWaitAsync(silo.GatewayPort, silo.EchoPort, remoteCases, settings);
    if (exit != 0)
    {
        Console.Error.WriteLine($"The client process exited with {exit}.");
        return exit;
    }
}

Console.WriteLine();
Console.WriteLine($"load average at the end {LoadAverage.Read()}");
return 0;
