using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansMemory.Configuration;
using OrleansMemory.Runtime;

namespace OrleansMemory.Membership;

/// <summary>Makes the silo a member of the cluster: opens the cluster port, joins the membership table (Joining, then
/// Active), keeps the placement ring in step with the table, heartbeats, probes other silos and votes dead ones out
/// (see the FailureDetection part), and leaves gracefully (ShuttingDown, grains handed over, then Dead).</summary>
internal sealed partial class ClusterMembershipService : IHostedService, IAsyncDisposable
{
    private readonly GrainRuntime _runtime;
    private readonly IMembershipTable _table;
    private readonly ClusterOptions _cluster;
    private readonly ClusterMembershipOptions _options;
    private readonly ClusterTransportOptions _transportOptions;
    private readonly EndpointOptions _endpoint;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private ClusterTransport? _transport;
    private SiloAddress? _self;
    private ClusterRouter? _router;
    private MembershipTableData? _view;
    private long _lastTableRead = Environment.TickCount64;
    private int _state; // 0 not started, 1 running, 2 stopping/stopped, 3 killed or dead

    public ClusterMembershipService(
        GrainRuntime runtime,
        IMembershipTable table,
        IOptions<ClusterOptions> cluster,
        IOptions<ClusterMembershipOptions> options,
        IOptions<ClusterTransportOptions> transportOptions,
        IOptions<EndpointOptions> endpoint,
        IHostApplicationLifetime lifetime,
        IServiceProvider services,
        ILoggerFactory loggerFactory,
        TimeProvider? time = null)
    {
        _runtime = runtime;
        _table = table;
        _cluster = cluster.Value;
        _options = options.Value;
        _transportOptions = transportOptions.Value;
        _endpoint = endpoint.Value;
        _lifetime = lifetime;
        _services = services;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ClusterMembershipService>();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>This silo's address, once started.</summary>
    public SiloAddress? Self => _self;

    /// <summary>The latest table snapshot this silo read.</summary>
    public MembershipTableData? View => _view;

    public ClusterRouter? Router => _router;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _table.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var factory = (GrainFactory)_runtime.GrainFactory;
        _transport = new ClusterTransport(_transportOptions, _cluster, _loggerFactory, _runtime, factory.CreateReference);
        var port = await _transport.ListenAsync(_endpoint, _services, cancellationToken).ConfigureAwait(false);
        var self = new SiloAddress(_endpoint.Host, port, SiloAddress.NewGeneration());
        _transport.Self = self;
        _self = self;
        _router = new ClusterRouter(_transport, _options, _runtime.ResponseTimeout, refreshView: null);

        var initial = await _table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        _router.UpdateActiveSilos(ActiveSilos(initial), initial.Version.Version);
        _router.CatchUp = CatchUpAsync;
        _runtime.AttachCluster(_router);

        var now = _time.GetUtcNow();
        var entry = new MembershipEntry(self, SiloStatus.Joining, $"{Environment.MachineName}:{port}", now, now, []);
        await ChangeOwnRowAsync(_ => entry, insert: true, cancellationToken).ConfigureAwait(false);
        await ChangeOwnRowAsync(e => e with { Status = SiloStatus.Active, IAmAliveTime = _time.GetUtcNow() }, insert: false, cancellationToken).ConfigureAwait(false);
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        _state = 1;
        LogJoined(_logger, self, _cluster.ServiceId, _cluster.ClusterId, _router.Ring.Silos.Count);

        _loops.Add(RunPeriodicAsync(_options.IAmAlivePeriod, HeartbeatAsync));
        _loops.Add(RunPeriodicAsync(_options.TableRefreshPeriod, GuardedRefreshAsync));
        _loops.Add(RunPeriodicAsync(_options.ProbePeriod, ProbeAsync));
    }

    /// <summary>Leaves gracefully: out of the ring, grains deactivated (and their calls forwarded to the new homes),
    /// ShuttingDown in the table, a hand-over pause while others catch up, then Dead.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 2, 1) != 1)
        {
            await DisposeAsync().ConfigureAwait(false);
            return;
        }

        var router = _router!;
        LogLeaving(_logger, Self!);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).ConfigureAwait(false);
        try
        {
            router.BeginLeaving();
            await _runtime.DeactivateAllAsync(new DeactivationReason(DeactivationReasonCode.Migrating, "The silo is leaving the cluster."), cancellationToken).ConfigureAwait(false);
            await ChangeOwnRowAsync(e => e with { Status = SiloStatus.ShuttingDown }, insert: false, cancellationToken).ConfigureAwait(false);
            await Task.Delay(_options.ShutdownHandOverTime, cancellationToken).ConfigureAwait(false);
            await ChangeOwnRowAsync(e => e with { Status = SiloStatus.Dead }, insert: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogLeaveFailed(_logger, ex, Self!);
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the silo at once, as if its process died: no deactivation, no table update, connections cut.</summary>
    public async Task KillAsync()
    {
        _state = 3;
        _runtime.Halt();
        _router?.SetServing("the silo was killed");
        await _stopping.CancelAsync().ConfigureAwait(false);
        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        if (_transport is { } transport)
        {
            _transport = null;
            await transport.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static List<SiloAddress> ActiveSilos(MembershipTableData data) =>
        [.. data.Rows.Where(r => r.Entry.Status == SiloStatus.Active).Select(r => r.Entry.Silo)];

    /// <summary>Inserts or updates this silo's row, re-reading and retrying when another silo changed the table first.</summary>
    private async Task ChangeOwnRowAsync(Func<MembershipEntry, MembershipEntry> change, bool insert, CancellationToken cancellationToken)
    {
        var self = _self!;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var data = await _table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
            var row = data.Find(self);
            var written = insert
                ? row is null && await _table.InsertRowAsync(change(null!), data.Version, cancellationToken).ConfigureAwait(false)
                : row is not null && await _table.UpdateRowAsync(change(row.Entry), row.ETag, data.Version, cancellationToken).ConfigureAwait(false);
            if (written || (insert && row is not null))
            {
                return;
            }

            if (!insert && row is null)
            {
                throw new InvalidOperationException($"Silo {self} has no row in the membership table.");
            }

            await Task.Delay(Random.Shared.Next(5, 50), cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"Silo {self} could not update its membership row: the table kept changing.");
    }

    private async Task RunPeriodicAsync(TimeSpan period, Func<CancellationToken, Task> action)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    await action(_stopping.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !_stopping.IsCancellationRequested)
                {
                    LogPeriodicFailed(_logger, ex, action.Method.Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} joined cluster {ServiceId}/{ClusterId}; {ActiveCount} active silos")]
    private static partial void LogJoined(ILogger logger, SiloAddress silo, string serviceId, string clusterId, int activeCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} is leaving the cluster")]
    private static partial void LogLeaving(ILogger logger, SiloAddress silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} could not leave the cluster cleanly")]
    private static partial void LogLeaveFailed(ILogger logger, Exception exception, SiloAddress silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Membership task {Task} failed")]
    private static partial void LogPeriodicFailed(ILogger logger, Exception exception, string task);
}
