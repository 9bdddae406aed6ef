using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansMemory.Hosting;

namespace OrleansMemory.Runtime.Tests;

/// <summary>A silo in a real generic host, started for one test.</summary>
public sealed class TestSilo : IAsyncDisposable
{
    private TestSilo(IHost host)
    {
        Host = host;
    }

    public IHost Host { get; }

    public IGrainFactory Grains => Host.Services.GetRequiredService<IGrainFactory>();

    public Recorder Recorder => Host.Services.GetRequiredService<Recorder>();

    public static async Task<TestSilo> StartAsync(Action<ISiloBuilder>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Recorder>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));
        services?.Invoke(builder.Services);
        builder.UseSilo(silo =>
        {
            silo.UseLocalhostClustering().AddMemoryGrainStorage("store");
            configure?.Invoke(silo);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}
