using Microsoft.Extensions.Logging.Abstractions;
using OrleansMemory.Configuration;
using OrleansMemory.Membership;
using OrleansMemory.Membership.AdoNet;
using OrleansMemory.Membership.Redis;

namespace OrleansMemory.Cluster.Tests.Membership;

public sealed class InMemoryMembershipTableTests : MembershipTableConformanceTests
{
    private readonly Dictionary<string, InMemoryMembershipTable> _clusters = [];

    protected override IMembershipTable Open(ClusterOptions cluster)
    {
        var key = cluster.ServiceId + "/" + cluster.ClusterId;
        return _clusters.TryGetValue(key, out var table) ? table : _clusters[key] = new InMemoryMembershipTable();
    }
}

public sealed class SqliteMembershipTableTests : MembershipTableConformanceTests, IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"orleansmemory-membership-{Guid.NewGuid():N}.db");

    protected override IMembershipTable Open(ClusterOptions cluster) => new AdoNetMembershipTable(
        new AdoNetClusteringOptions { Invariant = AdoNetInvariants.Sqlite, ConnectionString = $"Data Source={_path};Pooling=False" },
        cluster,
        NullLogger<AdoNetMembershipTable>.Instance);

    public void Dispose()
    {
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }
}

[RequiresServer(TestServers.Postgres)]
public sealed class PostgresMembershipTableTests : MembershipTableConformanceTests
{
    protected override IMembershipTable Open(ClusterOptions cluster) => new AdoNetMembershipTable(
        new AdoNetClusteringOptions { Invariant = AdoNetInvariants.PostgreSql, ConnectionString = TestServers.Require(TestServers.Postgres) },
        cluster,
        NullLogger<AdoNetMembershipTable>.Instance);
}

[RequiresServer(TestServers.Redis)]
public sealed class RedisMembershipTableTests : MembershipTableConformanceTests
{
    protected override IMembershipTable Open(ClusterOptions cluster) => new RedisMembershipTable(
        new RedisClusteringOptions { ConfigurationString = TestServers.Require(TestServers.Redis) },
        cluster);
}
