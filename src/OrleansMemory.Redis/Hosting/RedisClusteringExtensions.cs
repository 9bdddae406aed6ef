using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansMemory.Configuration;
using OrleansMemory.Membership.Redis;

namespace OrleansMemory.Hosting;

/// <summary>Cluster membership in Redis (one hash per cluster, Lua check-and-set), for silos and clients.</summary>
public static class RedisClusteringExtensions
{
    /// <summary>Joins the cluster through a membership table in Redis (see <see cref="RedisClusteringOptions"/>).</summary>
    public static ISiloBuilder UseRedisClustering(this ISiloBuilder builder, Action<RedisClusteringOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder.UseClustering(Create);
    }

    /// <summary>Finds silos in the cluster's Redis membership table.</summary>
    public static IClientBuilder UseRedisClustering(this IClientBuilder builder, Action<RedisClusteringOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder.UseClustering(Create);
    }

    private static RedisMembershipTable Create(IServiceProvider services) => new(
        services.GetRequiredService<IOptions<RedisClusteringOptions>>().Value,
        services.GetRequiredService<IOptions<ClusterOptions>>().Value);
}
