using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansMemory.Hosting;
using OrleansMemory.Storage;

namespace OrleansMemory.Runtime.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task GenericHostBuilder_RunsASilo_WithKeyedStorageProviders()
    {
        using var host = new HostBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .ConfigureServices(s => s.AddSingleton<Recorder>())
            .UseSilo(silo => silo.UseLocalhostClustering().AddMemoryGrainStorage("store").AddMemoryGrainStorage("other"))
            .Build();
        await host.StartAsync();

        Assert.IsType<MemoryGrainStorage>(host.Services.GetRequiredKeyedService<IGrainStorage>("store"));
        Assert.NotSame(host.Services.GetRequiredKeyedService<IGrainStorage>("store"), host.Services.GetRequiredKeyedService<IGrainStorage>("other"));
        var grain = host.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("hosted");
        Assert.Equal(1, await grain.IncrementAsync());
        await host.StopAsync();
    }

    [Fact]
    public async Task CallsBeforeStart_FailClearly()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Recorder>();
        builder.UseSilo(silo => silo.AddMemoryGrainStorage("store"));
        using var host = builder.Build();
        var grain = host.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("early");
        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() => grain.GetAsync());
        Assert.Contains("has not started", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownGrainType_FailsWithTheKnownTypes()
    {
        await using var silo = await TestSilo.StartAsync();
        var error = await Assert.ThrowsAsync<GrainActivationException>(() => silo.Grains.GetGrain<ICounterGrain>(GrainId.Create("nope", "k")).GetAsync());
        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
        Assert.Contains("counter", error.Message, StringComparison.Ordinal);
    }
}
