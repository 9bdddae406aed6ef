using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OrleansMemory.Configuration;
using OrleansMemory.Membership;
using OrleansMemory.Runtime;

namespace OrleansMemory.Hosting;

/// <summary>Adds a cluster client to a host, and configures how a client finds silos.</summary>
public static class ClusterClientHostingExtensions
{
    /// <summary>Adds an <see cref="IClusterClient"/> (also registered as <see cref="IGrainFactory"/> when the host runs
    /// no silo) that connects when the host starts and closes when it stops.</summary>
    public static IHostApplicationBuilder UseClusterClient(this IHostApplicationBuilder builder, Action<IClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddClusterClientCore(builder.Services);
        configure(new HostedClientBuilder(builder.Services, builder.Configuration));
        builder.Services.TryAddSingleton<IGrainFactory>(sp => sp.GetRequiredService<IClusterClient>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ClusterClient>());
        return builder;
    }

    /// <summary>Finds silos by asking these gateways (<c>host:port</c> of silo cluster ports) for the cluster view.</summary>
    public static IClientBuilder UseStaticGateways(this IClientBuilder builder, params string[] endpoints)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(endpoints);
        builder.Services.Configure<ClientGatewayOptions>(o => o.StaticGateways.AddRange(endpoints));
        return builder;
    }

    /// <summary>Finds silos in an in-process membership table (tests, one process).</summary>
    public static IClientBuilder UseInMemoryClustering(this IClientBuilder builder, InMemoryMembershipTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return builder.UseClustering(_ => table);
    }

    /// <summary>Finds silos in the membership table <paramref name="tableFactory"/> creates (the silos' table).</summary>
    public static IClientBuilder UseClustering(this IClientBuilder builder, Func<IServiceProvider, IMembershipTable> tableFactory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(tableFactory);
        builder.Services.RemoveAll<IMembershipTable>();
        builder.Services.AddSingleton(tableFactory);
        return builder;
    }

    /// <summary>Sets the cluster's service id and cluster id (they must match the silos').</summary>
    public static IClientBuilder ConfigureCluster(this IClientBuilder builder, string clusterId, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = clusterId;
            o.ServiceId = serviceId;
        });
        return builder;
    }

    /// <summary>Sets the cluster's shared secret (see <see cref="ClusterTransportOptions.SharedSecret"/>).</summary>
    public static IClientBuilder UseSharedSecret(this IClientBuilder builder, string sharedSecret)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<ClusterTransportOptions>(o => o.SharedSecret = sharedSecret);
        return builder;
    }

    /// <summary>Configures an options type of the client (<see cref="ClientGatewayOptions"/>, <see cref="ClusterTransportOptions"/>...).</summary>
    public static IClientBuilder Configure<TOptions>(this IClientBuilder builder, Action<TOptions> configure) where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure(configure);
        return builder;
    }

    internal static void AddClusterClientCore(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ClusterClient)))
        {
            return;
        }

        services.AddOptions();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GrainTypeRegistry>();
        services.AddSingleton<ClusterClient>();
        services.AddSingleton<IClusterClient>(sp => sp.GetRequiredService<ClusterClient>());
    }

    private sealed class HostedClientBuilder(IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration) : IClientBuilder
    {
        public IServiceCollection Services { get; } = services;

        public Microsoft.Extensions.Configuration.IConfiguration Configuration { get; } = configuration;
    }
}
