using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansMemory.Hosting;

namespace OrleansMemory.Cluster.Benchmarks;

/// <summary>One silo in this process (localhost clustering on free ports, memory grain storage with System.Text.Json
/// state, the memory grains and the bench grain), plus the TCP echo server of the remote baseline.</summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    /// <summary>Service and cluster id; distinct from the product's so that a developer's silo is never joined.</summary>
    public const string ClusterId = "omem-bench";

    private readonly IHost _host;
    private readonly TcpEchoServer _echo;

    private BenchSilo(IHost host, TcpEchoServer echo, int gatewayPort)
    {
        _host = host;
        _echo = echo;
        GatewayPort = gatewayPort;
    }

    /// <summary>The silo's grain factory (calls from the silo host).</summary>
    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The gateway port clients connect to.</summary>
    public int GatewayPort { get; }

    /// <summary>The port of the TCP echo baseline.</summary>
    public int EchoPort => _echo.Port;

    /// <summary>Starts the silo and the echo server.</summary>
    public static async Task<BenchSilo> StartAsync()
    {
        var siloPort = FreePort();
        var gatewayPort = FreePort();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort, gatewayPort, serviceId: ClusterId, clusterId: ClusterId)
            .UseSystemTextJsonGrainStorageSerializer()
            .AddMemoryGrainStorage("Default")
            .AddMemoryGrains());
        var host = builder.Build();
        await host.StartAsync();
        return new BenchSilo(host, new TcpEchoServer(), gatewayPort);
    }

    /// <summary>A loopback port free at the time of asking.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _echo.DisposeAsync();
        await _host.StopAsync();
        _host.Dispose();
    }
}
