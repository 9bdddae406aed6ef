using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansMemory.Configuration;
using OrleansMemory.Membership.AdoNet;

namespace OrleansMemory.Hosting;

/// <summary>Cluster membership in SQLite or PostgreSQL, for silos and clients.</summary>
public static class AdoNetClusteringExtensions
{
    /// <summary>Joins the cluster through a membership table in PostgreSQL or SQLite (see <see cref="AdoNetClusteringOptions"/>;
    /// schema in <c>deploy/sql/membership-*.sql</c>, created when missing).</summary>
    public static ISiloBuilder UseAdoNetClustering(this ISiloBuilder builder, Action<AdoNetClusteringOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder.UseClustering(Create);
    }

    /// <summary>Finds silos in the cluster's PostgreSQL or SQLite membership table.</summary>
    public static IClientBuilder UseAdoNetClustering(this IClientBuilder builder, Action<AdoNetClusteringOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder.UseClustering(Create);
    }

    private static AdoNetMembershipTable Create(IServiceProvider services) => new(
        services.GetRequiredService<IOptions<AdoNetClusteringOptions>>().Value,
        services.GetRequiredService<IOptions<ClusterOptions>>().Value,
        services.GetRequiredService<ILogger<AdoNetMembershipTable>>());
}
