using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using OrleansMemory.Hosting;
using OrleansMemory.Storage;

namespace OrleansMemory.Grains.Benchmarks;

/// <summary>One silo in this process with the memory grains and a storage provider named "Default": Orleans' memory
/// storage, the file provider, or PostgreSQL through Orleans' ADO.NET provider, configured as the product does.</summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private static int s_port = 11_400 + (Environment.ProcessId % 200 * 4);
    private readonly IHost _host;

    private BenchSilo(IHost host)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IGrainFactory>();
    }

    public IGrainFactory Grains { get; }

    /// <summary>The silo host's services.</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>Starts a silo; <paramref name="storageUri"/> is null for memory storage, else a provider URI as
    /// <c>omem</c> takes it (<c>file:/dir?backups=false</c>, <c>postgres:Host=...?schema=s</c>).</summary>
    public static async Task<BenchSilo> StartAsync(string? storageUri, Action<MemoryGrainOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var port = Interlocked.Add(ref s_port, 2);
        // No defaults: no appsettings files, so no file watcher on the working directory (a busy /tmp showed up in profiles).
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        services?.Invoke(builder.Services);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(port, port + 1).UseMemoryStateJson();
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(10)); // imports of 10,000 x 1,536 on a busy machine
            if (storageUri is null)
            {
                silo.AddMemoryGrainStorage("Default");
            }
            else
            {
                silo.AddAdoNetGrainStorageBackends().AddRedisGrainStorageBackend().AddGrainStorageFromSettings("Default", GrainStorageUri.Parse(storageUri) with { CreateSchema = true });
            }

            silo.AddMemoryGrains(o =>
            {
                o.MaxItemsPerCall = 10_000;
                o.Quotas.Default.MaxMemoriesPerUser = null; // the default quota (100,000) would refuse adds to the 100,000-memory users
                o.Quotas.Default.MaxBytesPerUser = null;
                configure?.Invoke(o);
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        return new BenchSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
