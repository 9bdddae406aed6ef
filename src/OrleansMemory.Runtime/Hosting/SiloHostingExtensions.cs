using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OrleansMemory.Runtime;

namespace OrleansMemory.Hosting;

/// <summary>Adds a silo to a .NET host.</summary>
public static class SiloHostingExtensions
{
    /// <summary>Runs a silo in this host; <paramref name="configure"/> adds storage, clustering and options.
    /// After <c>host.StartAsync()</c>, <see cref="IGrainFactory"/> is resolvable from the host's services.</summary>
    public static IHostApplicationBuilder UseSilo(this IHostApplicationBuilder builder, Action<ISiloBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        configure(AddSiloCore(builder.Services, builder.Configuration));
        return builder;
    }

    /// <summary>Runs a silo in this host; see <see cref="UseSilo(IHostApplicationBuilder, Action{ISiloBuilder})"/>.</summary>
    public static IHostBuilder UseSilo(this IHostBuilder builder, Action<ISiloBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.UseSilo((_, silo) => configure(silo));
    }

    /// <summary>Runs a silo in this host, with access to the host builder context.</summary>
    public static IHostBuilder UseSilo(this IHostBuilder builder, Action<HostBuilderContext, ISiloBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.ConfigureServices((context, services) => configure(context, AddSiloCore(services, context.Configuration)));
    }

    /// <summary>Registers the silo's core services once and returns a builder over them.</summary>
    public static ISiloBuilder AddSiloCore(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(SiloMarker)))
        {
            services.AddSingleton<SiloMarker>();
            services.AddOptions();
            services.AddLogging();
            services.AddMetrics();
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddSingleton<IGrainStorageSerializer>(_ => new JsonGrainStorageSerializer());
            services.AddSingleton<GrainTypeRegistry>();
            services.AddSingleton<GrainRuntime>();
            services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainRuntime>().GrainFactory);
            services.AddSingleton<Silo>();
            services.AddHostedService(sp => sp.GetRequiredService<Silo>());
        }

        return new SiloBuilder(services, configuration ?? new ConfigurationBuilder().Build());
    }

    private sealed class SiloMarker;
}
