using Microsoft.Extensions.Hosting;
using OrleansMemory.Configuration;
using OrleansMemory.Hosting;
using OrleansMemory.Membership;

namespace OrleansMemory.TestingHost;

/// <summary>Configures an <see cref="InProcessTestCluster"/>: how many silos, their membership table, storage and
/// options, and the client. Failure detection runs with short periods (a killed silo is declared dead in about a
/// second) unless configured otherwise.</summary>
public sealed class InProcessTestClusterBuilder
{
    private readonly List<Action<int, ISiloBuilder>> _silo = [];
    private readonly List<Action<IHostApplicationBuilder>> _host = [];
    private readonly List<Action<IClientBuilder>> _client = [];

    /// <summary>Creates a builder for a cluster of <paramref name="initialSilos"/> silos.</summary>
    public InProcessTestClusterBuilder(int initialSilos = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialSilos, 1);
        InitialSilos = initialSilos;
    }

    /// <summary>How many silos <see cref="InProcessTestCluster.DeployAsync"/> starts.</summary>
    public int InitialSilos { get; }

    /// <summary>The cluster id (a fresh one per cluster, so clusters sharing a database stay apart).</summary>
    public string ClusterId { get; set; } = "test-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The service id.</summary>
    public string ServiceId { get; set; } = "testservice";

    /// <summary>Creates the membership table for a silo. When neither this nor <see cref="ClientMembership"/> is set, all
    /// silos and the client share one in-memory table; when only <see cref="ClientMembership"/> is set, the silo
    /// configuration (for example <c>silo.UseAdoNetClustering(...)</c>) chooses the table.</summary>
    public Func<IServiceProvider, IMembershipTable>? MembershipTableFactory { get; set; }

    /// <summary>Configures the client to find silos; the default reads the shared in-memory table.</summary>
    public Action<IClientBuilder>? ClientMembership { get; set; }

    /// <summary>Adds silo configuration (storage providers, options); the argument is the silo's index.</summary>
    public InProcessTestClusterBuilder ConfigureSilo(Action<int, ISiloBuilder> configure)
    {
        _silo.Add(configure);
        return this;
    }

    /// <summary>Adds configuration of each silo's host (logging, services).</summary>
    public InProcessTestClusterBuilder ConfigureHost(Action<IHostApplicationBuilder> configure)
    {
        _host.Add(configure);
        return this;
    }

    /// <summary>Adds client configuration.</summary>
    public InProcessTestClusterBuilder ConfigureClient(Action<IClientBuilder> configure)
    {
        _client.Add(configure);
        return this;
    }

    /// <summary>Uses a membership table of the caller's choice for silos and client.</summary>
    public InProcessTestClusterBuilder UseMembership(Func<IServiceProvider, IMembershipTable> silo, Action<IClientBuilder> client)
    {
        MembershipTableFactory = silo;
        ClientMembership = client;
        return this;
    }

    /// <summary>The failure-detection options of the test silos: short periods so that tests finish quickly.</summary>
    public static void FastFailureDetection(ClusterMembershipOptions o)
    {
        o.IAmAlivePeriod = TimeSpan.FromMilliseconds(250);
        o.TableRefreshPeriod = TimeSpan.FromMilliseconds(250);
        o.ProbePeriod = TimeSpan.FromMilliseconds(250);
        o.ProbeTimeout = TimeSpan.FromMilliseconds(500);
        o.NumMissedProbesLimit = 3;
        o.IAmAliveTableTimeout = TimeSpan.FromSeconds(3);
        o.TableUnreachableTimeout = TimeSpan.FromSeconds(2);
        o.ShutdownHandOverTime = TimeSpan.FromMilliseconds(500);
    }

    /// <summary>Builds the cluster (start it with <see cref="InProcessTestCluster.DeployAsync"/>).</summary>
    public InProcessTestCluster Build()
    {
        InMemoryMembershipTable? shared = null;
        var tableFactory = MembershipTableFactory;
        var client = ClientMembership;
        if (tableFactory is null && client is null)
        {
            shared = new InMemoryMembershipTable();
            tableFactory = _ => shared;
            client = c => c.UseInMemoryClustering(shared);
        }

        return new InProcessTestCluster(this, tableFactory, client ?? (_ => { }), [.. _silo], [.. _host], [.. _client], shared);
    }
}
