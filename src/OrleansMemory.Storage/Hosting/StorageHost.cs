using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansMemory.Storage;

namespace OrleansMemory.Hosting;

/// <summary>A minimal Orleans silo (localhost clustering on free loopback ports, no grains of ours) that hosts grain
/// storage providers for tools and tests: providers are registered exactly as in the product's silo and started by the
/// silo lifecycle, then used through their keyed <see cref="IGrainStorage"/> and <see cref="IGrainStorageCatalog"/>.</summary>
public sealed class StorageHost : IAsyncDisposable
{
    private readonly IHost _host;

    private StorageHost(IHost host) => _host = host;

    /// <summary>The silo's services.</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>Builds and starts the silo; <paramref name="configure"/> registers the providers.</summary>
    /// <param name="configure">Registers providers (and anything else) on the silo.</param>
    /// <param name="serviceId">The silo's <c>ClusterOptions.ServiceId</c> (providers without a service id of their own key by it).</param>
    /// <param name="minimumLogLevel">The lowest level logged to the console.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="Exception">Whatever stopped the silo from starting (invalid options, an unreachable server, a
    /// missing directory); the failed silo is left idle, not disposed (see the remark in the code).</exception>
    public static async Task<StorageHost> StartAsync(Action<ISiloBuilder> configure, string serviceId = GrainStorageDefaults.ServiceId,
        LogLevel minimumLogLevel = LogLevel.Warning, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Production });
        builder.Logging.SetMinimumLevel(minimumLogLevel).AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Orleans", minimumLogLevel > LogLevel.Warning ? minimumLogLevel : LogLevel.Error);
        builder.Logging.AddFilter("Microsoft", minimumLogLevel > LogLevel.Warning ? minimumLogLevel : LogLevel.Error);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePort(), FreePort(), serviceId: serviceId, clusterId: "storage-" + Guid.NewGuid().ToString("N")[..8]);
            configure(silo);
        });
        var host = builder.Build();

        // A host whose start fails is not disposed, on purpose: in Orleans 10.4.2 a silo whose start failed after its
        // grain directory started refuses StopAsync (not Running), so the directory's membership loop is never
        // cancelled; disposing the host then completes the membership update stream and that loop spins on a core for
        // the rest of the process. Left alone, the failed silo only waits; callers of a failed start exit or report.
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        return new StorageHost(host);
    }

    /// <summary>The provider registered as <paramref name="name"/>.</summary>
    public IGrainStorage GetStorage(string name) => Services.GetRequiredKeyedService<IGrainStorage>(name);

    /// <summary>The catalog of the provider <paramref name="name"/>, or null when its backend has none (memory).</summary>
    public IGrainStorageCatalog? GetCatalog(string name) => Services.GetKeyedService<IGrainStorageCatalog>(name);

    /// <summary>Stops the silo.</summary>
    public ValueTask DisposeAsync() => DisposeHostAsync(_host);

    private static async ValueTask DisposeHostAsync(IHost host)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or ArgumentNullException)
        {
            // a host that never (fully) started, or would not stop in time: disposing it is all that is left
        }

        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            host.Dispose();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
