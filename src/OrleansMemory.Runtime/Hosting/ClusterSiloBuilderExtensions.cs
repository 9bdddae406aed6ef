using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrleansMemory.Configuration;
using OrleansMemory.Membership;

namespace OrleansMemory.Hosting;

/// <summary>Makes a silo a member of a multi-silo cluster: membership table, cluster port, failure detection.</summary>
public static class ClusterSiloBuilderExtensions
{
    /// <summary>Joins the cluster whose members share <paramref name="table"/> (an in-process table: several silos in
    /// one process, tests). For separate processes use ADO.NET or Redis clustering.</summary>
    public static ISiloBuilder UseInMemoryClustering(this ISiloBuilder builder, InMemoryMembershipTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return builder.UseClustering(_ => table);
    }

    /// <summary>Joins a cluster through the membership table <paramref name="tableFactory"/> creates. Starts the cluster
    /// port (<see cref="EndpointOptions"/>), heartbeats and probes (<see cref="ClusterMembershipOptions"/>); calls are
    /// placed on a consistent-hash ring of the active silos. The options are validated when the host starts.</summary>
    public static ISiloBuilder UseClustering(this ISiloBuilder builder, Func<IServiceProvider, IMembershipTable> tableFactory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(tableFactory);
        var services = builder.Services;
        services.RemoveAll<IMembershipTable>();
        services.AddSingleton(tableFactory);
        if (!services.Any(d => d.ServiceType == typeof(ClusterMembershipService)))
        {
            services.AddOptions<ClusterMembershipOptions>().ValidateOnStart();
            services.AddOptions<ClusterTransportOptions>();
            services.AddOptions<EndpointOptions>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterMembershipOptions>, ClusterOptionsValidator>());
            services.AddSingleton<ClusterMembershipService>();
            services.AddHostedService(sp => sp.GetRequiredService<ClusterMembershipService>());
        }

        return builder;
    }

    /// <summary>Sets the silo's cluster port (0: a free port) and the address it listens on and advertises.</summary>
    public static ISiloBuilder ConfigureEndpoints(this ISiloBuilder builder, int port, string host = "127.0.0.1")
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<EndpointOptions>(o =>
        {
            o.Port = port;
            o.Host = host;
        });
        return builder;
    }

    /// <summary>Sets the cluster's shared secret (see <see cref="ClusterTransportOptions.SharedSecret"/>).</summary>
    public static ISiloBuilder UseSharedSecret(this ISiloBuilder builder, string sharedSecret)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(sharedSecret);
        builder.Services.Configure<ClusterTransportOptions>(o => o.SharedSecret = sharedSecret);
        return builder;
    }
}
