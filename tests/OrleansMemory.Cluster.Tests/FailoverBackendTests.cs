using OrleansMemory.Hosting;
using OrleansMemory.TestingHost;
using Xunit.Abstractions;

namespace OrleansMemory.Cluster.Tests;

/// <summary>The failover scenarios with PostgreSQL membership and PostgreSQL grain storage.</summary>
[RequiresServer(TestServers.Postgres)]
public sealed class PostgresFailoverTests(ITestOutputHelper output) : FailoverScenarios(output)
{
    protected override InProcessTestClusterBuilder CreateCluster()
    {
        var connectionString = TestServers.Require(TestServers.Postgres);
        var builder = new InProcessTestClusterBuilder(3).ConfigureSilo((_, silo) => silo
            .UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            })
            .AddPostgresGrainStorage("store", connectionString, o => o.ServiceId = "cluster-" + TestServers.RunId));
        builder.ClientMembership = c => c.UseAdoNetClustering(o =>
        {
            o.Invariant = "Npgsql";
            o.ConnectionString = connectionString;
        });
        return builder;
    }
}

/// <summary>The failover scenarios with Redis membership and Redis grain storage.</summary>
[RequiresServer(TestServers.Redis)]
public sealed class RedisFailoverTests(ITestOutputHelper output) : FailoverScenarios(output)
{
    protected override InProcessTestClusterBuilder CreateCluster()
    {
        var redis = TestServers.Require(TestServers.Redis);
        var prefix = $"cluster-{TestServers.RunId}-{Guid.NewGuid():N}:";
        var builder = new InProcessTestClusterBuilder(3).ConfigureSilo((_, silo) => silo
            .UseRedisClustering(o => o.ConfigurationString = redis)
            .AddRedisGrainStorage("store", o =>
            {
                o.ConfigurationString = redis;
                o.KeyPrefix = prefix;
            }));
        builder.ClientMembership = c => c.UseRedisClustering(o => o.ConfigurationString = redis);
        return builder;
    }
}
