using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansMemory.Configuration;
using OrleansMemory.Membership;

namespace OrleansMemory.Runtime;

/// <summary>The cluster client: a membership view (from the table, or from gateways), the same placement ring as the
/// silos, and a transport without a listener.</summary>
internal sealed partial class ClusterClient : IClusterClient, IGrainCallInvoker, IHostedService
{
    private readonly ClusterOptions _cluster;
    private readonly ClientGatewayOptions _gateways;
    private readonly ClusterTransportOptions _transportOptions;
    private readonly ClusterMembershipOptions _membership;
    private readonly IMembershipTable? _table;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly GrainFactory _factory;
    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private ClusterTransport? _transport;
    private ClusterRouter? _router;
    private Timer? _refreshTimer;
    private int _nextGateway;

    public ClusterClient(
        IServiceProvider services,
        GrainTypeRegistry registry,
        IOptions<ClusterOptions> cluster,
        IOptions<ClientGatewayOptions> gateways,
        IOptions<ClusterTransportOptions> transport,
        IOptions<ClusterMembershipOptions> membership,
        ILoggerFactory loggerFactory)
    {
        ServiceProvider = services;
        _cluster = cluster.Value;
        _gateways = gateways.Value;
        _transportOptions = transport.Value;
        _membership = membership.Value;
        _table = services.GetService<IMembershipTable>();
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ClusterClient>();
        _factory = new GrainFactory(this, registry);
        if (_table is null && _gateways.StaticGateways.Count == 0)
        {
            throw new InvalidOperationException("The cluster client has no way to find silos: call UseStaticGateways(...), UseAdoNetClustering(...), UseRedisClustering(...) or UseInMemoryClustering(...).");
        }
    }

    public IServiceProvider ServiceProvider { get; }

    public bool IsConnected => _router is not null;

    /// <summary>The provider <see cref="Hosting.ClientBuilder"/> built for this client; disposed with it.</summary>
    internal ServiceProvider? OwnedProvider { get; set; }

    internal ClusterRouter? Router => _router;

    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        if (_transport is not null)
        {
            return;
        }

        if (_table is not null)
        {
            await _table.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }

        _transport = new ClusterTransport(_transportOptions, _cluster, _loggerFactory, runtime: null, _factory.CreateReference);
        var router = new ClusterRouter(_transport, _membership, _gateways.ResponseTimeout, RefreshAsync);
        _router = router;
        var deadline = Environment.TickCount64 + (long)_gateways.ResponseTimeout.TotalMilliseconds;
        Exception? last = null;
        while (router.Ring.IsEmpty)
        {
            try
            {
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                last = ex;
            }

            if (router.Ring.IsEmpty)
            {
                if (Environment.TickCount64 > deadline)
                {
                    _router = null;
                    throw new SiloUnavailableException($"The cluster client found no active silo of cluster {_cluster.ServiceId}/{_cluster.ClusterId} within {_gateways.ResponseTimeout}{(last is null ? "." : $": {last.Message}")}");
                }

                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }

        _refreshTimer = new Timer(static s => _ = ((ClusterClient)s!).RefreshQuietlyAsync(), this, _gateways.RefreshPeriod, _gateways.RefreshPeriod);
        LogConnected(_logger, _cluster.ServiceId, _cluster.ClusterId, router.Ring.Silos.Count);
    }

    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        if (_refreshTimer is { } timer)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }

        _router = null;
        if (_transport is { } transport)
        {
            _transport = null;
            await transport.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        if (OwnedProvider is { } provider)
        {
            OwnedProvider = null;
            await provider.DisposeAsync().ConfigureAwait(false);
        }
    }

    public Task<TResult> InvokeAsync<TResult>(GrainId target, GrainMethod<TResult> method, object?[] arguments)
    {
        if (_router is not { } router)
        {
            return Task.FromException<TResult>(new InvalidOperationException($"The cluster client is not connected; call ConnectAsync before calling {target}.{method.Name}."));
        }

        var deadline = GrainRequest.DeadlineAfter(_gateways.ResponseTimeout);
        return router.InvokeAsync(target, method, arguments, GrainRequest.CurrentRequest, deadline);
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => ConnectAsync(cancellationToken);

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => CloseAsync(cancellationToken);

    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey) where TGrainInterface : IGrainWithStringKey => _factory.GetGrain<TGrainInterface>(primaryKey);

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey) where TGrainInterface : IGrainWithGuidKey => _factory.GetGrain<TGrainInterface>(primaryKey);

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey) where TGrainInterface : IGrainWithIntegerKey => _factory.GetGrain<TGrainInterface>(primaryKey);

    public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId) where TGrainInterface : IGrain => _factory.GetGrain<TGrainInterface>(grainId);

    private async Task RefreshQuietlyAsync()
    {
        try
        {
            await RefreshAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRefreshFailed(_logger, ex.Message);
        }
    }

    /// <summary>Re-reads the view of the active silos: from the table, or from a gateway (round robin).</summary>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (_router is not { } router || _transport is not { } transport || !await _refreshLock.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            if (_table is not null)
            {
                var data = await _table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
                router.UpdateActiveSilos([.. data.Rows.Where(r => r.Entry.Status == SiloStatus.Active).Select(r => r.Entry.Silo)], data.Version.Version);
                return;
            }

            Exception? last = null;
            var known = router.Ring.Silos;
            for (var attempt = 0; attempt < Math.Max(1, known.Count) + _gateways.StaticGateways.Count; attempt++)
            {
                var index = Interlocked.Increment(ref _nextGateway);
                ClusterConnection? bootstrap = null;
                try
                {
                    ClusterConnection connection;
                    if (known.Count > 0 && attempt < known.Count)
                    {
                        connection = await transport.GetConnectionAsync(known[(index & int.MaxValue) % known.Count]).ConfigureAwait(false);
                    }
                    else
                    {
                        var gateway = _gateways.StaticGateways[(index & int.MaxValue) % _gateways.StaticGateways.Count];
                        var colon = gateway.LastIndexOf(':');
                        connection = bootstrap = await transport.ConnectAsync(gateway[..colon], int.Parse(gateway[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), null).ConfigureAwait(false);
                    }

                    var view = await connection.RequestViewAsync(Environment.TickCount64 + 2000).ConfigureAwait(false);
                    if (view.Silos.Length > 0)
                    {
                        router.UpdateActiveSilos([.. view.Silos.Select(SiloAddress.Parse)], view.Version);
                        return;
                    }
                }
                catch (Exception ex) when (ex is CallNotSentException or CallOutcomeUnknownException or TimeoutException)
                {
                    last = ex; // try the next gateway
                }
                finally
                {
                    bootstrap?.Close("the gateway view was read");
                }
            }

            if (last is not null)
            {
                throw new CallNotSentException($"No gateway answered with the cluster view: {last.Message}", last);
            }
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster client connected to {ServiceId}/{ClusterId}: {SiloCount} active silos")]
    private static partial void LogConnected(ILogger logger, string serviceId, string clusterId, int siloCount);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cluster client could not refresh its view: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string reason);
}
