using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansMemory.Configuration;
using OrleansMemory.Hosting;
using OrleansMemory.Membership;

namespace OrleansMemory.TestingHost;

/// <summary>A cluster of silos in this process, each a real .NET host listening on a free loopback port, sharing a
/// membership table, plus a cluster client. Silos can be added, stopped gracefully or killed hard.</summary>
public sealed class InProcessTestCluster : IAsyncDisposable
{
    private readonly InProcessTestClusterBuilder _builder;
    private readonly Func<IServiceProvider, IMembershipTable>? _tableFactory;
    private readonly Action<IClientBuilder> _clientMembership;
    private readonly Action<int, ISiloBuilder>[] _silo;
    private readonly Action<IHostApplicationBuilder>[] _host;
    private readonly Action<IClientBuilder>[] _client;
    private readonly List<InProcessSiloHandle> _silos = [];
    private IClusterClient? _clusterClient;
    private int _nextSilo;

    internal InProcessTestCluster(InProcessTestClusterBuilder builder, Func<IServiceProvider, IMembershipTable>? tableFactory, Action<IClientBuilder> clientMembership,
        Action<int, ISiloBuilder>[] silo, Action<IHostApplicationBuilder>[] host, Action<IClientBuilder>[] client, InMemoryMembershipTable? sharedTable)
    {
        _builder = builder;
        _tableFactory = tableFactory;
        _clientMembership = clientMembership;
        _silo = silo;
        _host = host;
        _client = client;
        MembershipTable = sharedTable;
    }

    /// <summary>The cluster id of the silos.</summary>
    public string ClusterId => _builder.ClusterId;

    /// <summary>The service id of the silos.</summary>
    public string ServiceId => _builder.ServiceId;

    /// <summary>The shared in-memory table, when the default membership is used.</summary>
    public InMemoryMembershipTable? MembershipTable { get; }

    /// <summary>Every silo started so far (including stopped and killed ones).</summary>
    public IReadOnlyList<InProcessSiloHandle> Silos => _silos;

    /// <summary>The silos that were neither stopped nor killed.</summary>
    public IReadOnlyList<InProcessSiloHandle> ActiveSilos => [.. _silos.Where(s => s.IsActive)];

    /// <summary>The cluster client (connected by <see cref="DeployAsync"/>).</summary>
    public IClusterClient Client => _clusterClient ?? throw new InvalidOperationException("Call DeployAsync first.");

    /// <summary>Starts the initial silos one after another, then connects the client.</summary>
    public async Task DeployAsync(CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < _builder.InitialSilos; i++)
        {
            await StartAdditionalSiloAsync(cancellationToken);
        }

        await WaitForLivenessToStabilizeAsync(_builder.InitialSilos, TimeSpan.FromSeconds(30));
        _clusterClient = await CreateClientAsync(cancellationToken);
    }

    /// <summary>Creates and connects another client of this cluster.</summary>
    public async Task<IClusterClient> CreateClientAsync(CancellationToken cancellationToken = default)
    {
        var builder = new ClientBuilder();
        builder.ConfigureCluster(_builder.ClusterId, _builder.ServiceId);
        _clientMembership(builder);
        builder.Configure<ClientGatewayOptions>(o => o.RefreshPeriod = TimeSpan.FromMilliseconds(250));
        builder.Configure<ClusterTransportOptions>(o => o.RetryDelay = TimeSpan.FromMilliseconds(100));
        foreach (var configure in _client)
        {
            configure(builder);
        }

        var client = builder.Build();
        await client.ConnectAsync(cancellationToken);
        return client;
    }

    /// <summary>Starts one more silo and waits until it is active (call <see cref="WaitForLivenessToStabilizeAsync"/>
    /// to wait until every silo has seen it).</summary>
    public async Task<InProcessSiloHandle> StartAdditionalSiloAsync(CancellationToken cancellationToken = default)
    {
        var index = _nextSilo++;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        builder.UseSilo(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = _builder.ClusterId;
                o.ServiceId = _builder.ServiceId;
            });
            if (_tableFactory is { } tableFactory)
            {
                silo.UseClustering(tableFactory);
            }

            silo.ConfigureEndpoints(0);
            silo.Configure<ClusterMembershipOptions>(InProcessTestClusterBuilder.FastFailureDetection);
            silo.Configure<ClusterTransportOptions>(o => o.RetryDelay = TimeSpan.FromMilliseconds(100));
            foreach (var configure in _silo)
            {
                configure(index, silo);
            }

            // Whatever table the configuration chose, the test can cut this silo off from it.
            var table = silo.Services.LastOrDefault(d => d.ServiceType == typeof(IMembershipTable))?.ImplementationFactory
                ?? throw new InvalidOperationException("No membership table is configured: set MembershipTableFactory or call silo.UseXxxClustering(...) in ConfigureSilo.");
            silo.UseClustering(sp => new FaultInjectionMembershipTable((IMembershipTable)table(sp)));
        });
        foreach (var configure in _host)
        {
            configure(builder);
        }

        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        var handle = new InProcessSiloHandle($"silo-{index}", host, (FaultInjectionMembershipTable)host.Services.GetRequiredService<IMembershipTable>());
        _silos.Add(handle);
        return handle;
    }

    /// <summary>Stops a silo gracefully: it leaves the ring, hands its grains over and marks itself Dead.</summary>
    public async Task StopSiloAsync(InProcessSiloHandle silo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (!silo.IsActive)
        {
            return;
        }

        silo.IsActive = false;
        await silo.Host.StopAsync(cancellationToken);
        silo.Host.Dispose();
    }

    /// <summary>Kills a silo hard, as if its process died: no deactivation, no state written, no goodbye in the
    /// table; its connections are cut and its port closed. The others must detect it.</summary>
    public async Task KillSiloAsync(InProcessSiloHandle silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (!silo.IsActive)
        {
            return;
        }

        silo.IsActive = false;
        await silo.Membership.KillAsync();
    }

    /// <summary>Waits until every active, serving silo's view has exactly <paramref name="count"/> active silos.</summary>
    public async Task WaitForLivenessToStabilizeAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (ActiveSilos.Where(s => s.IsServing).All(s => s.Membership.Router?.Ring.Silos.Count == count))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The cluster did not settle on {count} active silos within {timeout}: " +
            string.Join("; ", ActiveSilos.Select(s => $"{s.Name} sees {s.Membership.Router?.Ring.Silos.Count}")));
    }

    /// <summary>Closes the client and stops every silo (killed silos are disposed without shutdown).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_clusterClient is { } client)
        {
            await client.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            if (silo.IsActive)
            {
                silo.IsActive = false;
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await silo.Host.StopAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    // Disposed below regardless.
                }
            }

            silo.Host.Dispose();
        }
    }
}
