using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansMemory.Client;
using OrleansMemory.Hosting;

namespace OrleansMemory.Cluster.Benchmarks;

/// <summary>The separate client process: this program started again with <c>client</c>; it connects to the silo's
/// gateway with UseOrleansClient and runs the remote and memory cases.</summary>
internal static class ClientProcess
{
    /// <summary>Starts this program as the client process, its output going to this console; returns its exit code.</summary>
    public static async Task<int> StartAndWaitAsync(int gatewayPort, int echoPort, string[] cases, BenchSettings settings)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(self) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ClientProcess).Assembly.Location);
        }

        foreach (var arg in new[] { "client", gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     echoPort.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(cases).Append(settings.Flag))
        {
            if (arg.Length > 0)
            {
                start.ArgumentList.Add(arg);
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The client process did not start.");
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    /// <summary>The client process's main: connect, run the cases, disconnect.</summary>
    public static async Task<int> RunAsync(int gatewayPort, int echoPort, string[] cases, BenchSettings settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort, BenchSilo.ClusterId, BenchSilo.ClusterId));
        builder.Services.AddMemoryStore(o => o.DirectoryKey = "bench");
        using var host = builder.Build();
        await host.StartAsync();
        if (cases.Contains("remote"))
        {
            await RemoteBenchmarks.RunAsync(host.Services.GetRequiredService<IClusterClient>(), echoPort, settings);
        }

        if (cases.Contains("memory"))
        {
            await MemoryBenchmarks.RunAsync(host.Services.GetRequiredService<MemoryStore>(), settings);
        }

        await host.StopAsync();
        return 0;
    }
}
