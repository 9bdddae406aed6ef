using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansMemory.Configuration;

namespace OrleansMemory.Runtime;

/// <summary>The silo's grain runtime: the catalog of activations, request dispatch, timeouts and idle collection.</summary>
internal sealed partial class GrainRuntime : IDisposable, IGrainCallInvoker
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();
    private readonly GrainTypeRegistry _registry;
    private readonly GrainCollectionOptions _collection;
    private readonly SiloMessagingOptions _messaging;
    private Timer? _expiryTimer;
    private Timer? _collectionTimer;
    private volatile RuntimeStatus _status = RuntimeStatus.NotStarted;
    private long _clock = Environment.TickCount64;
    private long _deadlineOffset = -1;

    public GrainRuntime(
        IServiceProvider services,
        GrainTypeRegistry registry,
        IOptions<GrainCollectionOptions> collection,
        IOptions<SiloMessagingOptions> messaging,
        IEnumerable<IIncomingGrainCallFilter> filters,
        ILogger<GrainRuntime> logger,
        IMeterFactory? meterFactory = null)
    {
        Services = services;
        _registry = registry;
        _collection = collection.Value;
        _messaging = messaging.Value;
        Filters = [.. filters];
        Logger = logger;
        Instruments = new RuntimeInstruments(meterFactory ?? services.GetRequiredService<IMeterFactory>());
        GrainFactory = new GrainFactory(this, registry);
    }

    public IServiceProvider Services { get; }

    public IGrainFactory GrainFactory { get; }

    public IIncomingGrainCallFilter[] Filters { get; }

    public ILogger Logger { get; }

    public RuntimeInstruments Instruments { get; }

    public TimeSpan ResponseTimeout => _messaging.ResponseTimeout;

    public TimeSpan DeactivationTimeout => _collection.DeactivationTimeout;

    public int MaxInlineCallDepth => _messaging.MaxInlineCallDepth;

    public int ActivationCount => _activations.Count;

    public void Start()
    {
        _status = RuntimeStatus.Running;
        // The sweep also advances the coarse clock used for deadlines and idle times: keep it well under both.
        var finest = Math.Min(ResponseTimeout == Timeout.InfiniteTimeSpan ? long.MaxValue : ResponseTimeout.Ticks, _collection.CollectionAge.Ticks);
        var expiryPeriod = TimeSpan.FromTicks(Math.Clamp(finest / 10, TimeSpan.FromMilliseconds(20).Ticks, TimeSpan.FromSeconds(1).Ticks));
        _clock = Environment.TickCount64;
        _deadlineOffset = ResponseTimeout == Timeout.InfiniteTimeSpan ? -1 : (long)(ResponseTimeout + expiryPeriod).TotalMilliseconds;
        _expiryTimer = new Timer(static s => ((GrainRuntime)s!).ExpireRequests(), this, expiryPeriod, expiryPeriod);
        _collectionTimer = new Timer(static s => ((GrainRuntime)s!).CollectIdle(), this, _collection.CollectionQuantum, _collection.CollectionQuantum);
        LogStarted(Logger, _registry.GrainTypes.Count);
    }

    /// <summary>Sends a call to its grain's activation, creating the activation if needed.</summary>
    public Task<TResult> InvokeAsync<TResult>(GrainId target, GrainMethod<TResult> method, object?[] arguments)
    {
        var parent = GrainRequest.CurrentRequest;
        if (_status != RuntimeStatus.Running && !(_status == RuntimeStatus.Stopping && parent is not null))
        {
            return Task.FromException<TResult>(Unavailable(target, method.Name));
        }

        if (_cluster is { } cluster)
        {
            if (cluster.NotServingReason is { } reason)
            {
                return Task.FromException<TResult>(new SiloUnavailableException($"Call {target}.{method.Name} refused by silo {cluster.Self}: {reason}."));
            }

            if (!cluster.IsLocal(target))
            {
                return cluster.InvokeAsync(target, method, arguments, parent, GrainRequest.DeadlineAfter(ResponseTimeout));
            }
        }

        if (method.AnyArgumentNeedsCopy)
        {
            arguments = (object?[])arguments.Clone();
            for (var i = 0; i < arguments.Length; i++)
            {
                if (method.ArgumentNeedsCopy[i])
                {
                    arguments[i] = DeepCopier.Copy(arguments[i]);
                }
            }
        }

        var request = new MethodRequest<TResult>(target, method, arguments, parent, NextDeadline(), this);
        DispatchHere(target, request);
        return request.Task;
    }

    /// <summary>Delivers a request that an activation handed back while deactivating.</summary>
    public void Redispatch(GrainId target, GrainRequest request)
    {
        if (_status == RuntimeStatus.Stopped)
        {
            request.Fail(Unavailable(target, request.Describe()));
            return;
        }

        Dispatch(target, request);
    }

    public void RemoveActivation(ActivationData activation) =>
        _activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.GrainId, activation));

    /// <summary>Stops taking external calls, deactivates every activation (running <c>OnDeactivateAsync</c>), and
    /// then refuses all calls.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_status != RuntimeStatus.Running)
        {
            _status = RuntimeStatus.Stopped;
            return;
        }

        _status = RuntimeStatus.Stopping;
        _collectionTimer?.Dispose();
        var reason = new DeactivationReason(DeactivationReasonCode.ShuttingDown, "The silo is shutting down.");
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Grains may call grains that were already deactivated while shutting down; repeat until none is left.
            for (var round = 0; round < 10 && !_activations.IsEmpty; round++)
            {
                var pending = _activations.Values.Select(a => a.RequestDeactivation(reason)).ToArray();
                await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A request that never completes keeps its activation from deactivating; the host's shutdown time is up.
            LogAbandoned(Logger, _activations.Count, string.Join(", ", _activations.Keys.Take(10)));
        }
        finally
        {
            _status = RuntimeStatus.Stopped;
            _expiryTimer?.Dispose();
            LogStopped(Logger, Stopwatch.GetElapsedTime(started).TotalMilliseconds, _activations.Count);
        }
    }

    public void Dispose()
    {
        _status = RuntimeStatus.Stopped;
        _expiryTimer?.Dispose();
        _collectionTimer?.Dispose();
    }

    private void Dispatch(GrainId target, GrainRequest request)
    {
        if (!TryRouteAway(target, request))
        {
            DispatchHere(target, request);
        }
    }

    private void DispatchHere(GrainId target, GrainRequest request)
    {
        while (true)
        {
            if (!_activations.TryGetValue(target, out var activation))
            {
                var grainClass = _registry.GetGrainClass(target.Type);
                if (grainClass is null)
                {
                    request.Fail(new GrainActivationException(
                        $"No grain class implements grain type '{target.Type}' (grain {target}). Known types: {string.Join(", ", _registry.GrainTypes.Order())}."));
                    return;
                }

                activation = _activations.GetOrAdd(target, static (id, state) => new ActivationData(id, state.grainClass, state.runtime), (grainClass, runtime: this));
            }

            if (activation.TryEnqueue(request))
            {
                return;
            }

            RemoveActivation(activation);
        }
    }

    /// <summary>A clock in <see cref="Environment.TickCount64"/> milliseconds, advanced by the expiry sweep, so that
    /// the hot path need not read the system clock. Behind the real clock by at most one sweep period.</summary>
    public long CoarseClock => Volatile.Read(ref _clock);

    /// <summary>The deadline of a call made now: late by at most one sweep period, never early.</summary>
    private long NextDeadline() => _deadlineOffset < 0 ? long.MaxValue : Volatile.Read(ref _clock) + _deadlineOffset;

    private void ExpireRequests()
    {
        var now = Environment.TickCount64;
        Volatile.Write(ref _clock, now);
        foreach (var activation in _activations.Values)
        {
            activation.ExpireRequests(now, ResponseTimeout);
        }
    }

    private void CollectIdle()
    {
        var idleSince = Environment.TickCount64 - (long)_collection.CollectionAge.TotalMilliseconds;
        var collected = 0;
        foreach (var activation in _activations.Values)
        {
            if (activation.TryCollect(idleSince))
            {
                collected++;
            }
        }

        if (collected > 0)
        {
            LogCollected(Logger, collected);
        }
    }

    private SiloUnavailableException Unavailable(GrainId target, string method) => new(_status switch
    {
        RuntimeStatus.NotStarted => $"Call {target}.{method} refused: the silo has not started yet. Call host.StartAsync() first.",
        RuntimeStatus.Stopping => $"Call {target}.{method} refused: the silo is shutting down.",
        _ => $"Call {target}.{method} refused: the silo has stopped.",
    });

    [LoggerMessage(Level = LogLevel.Information, Message = "Grain runtime started with {GrainTypeCount} grain types")]
    private static partial void LogStarted(ILogger logger, int grainTypeCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grain runtime stopped in {ElapsedMs:F0} ms; {Remaining} activations left")]
    private static partial void LogStopped(ILogger logger, double elapsedMs, int remaining);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown time ran out with {Count} activations still busy (first: {GrainIds}); they were abandoned without OnDeactivateAsync")]
    private static partial void LogAbandoned(ILogger logger, int count, string grainIds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Collected {Count} idle activations")]
    private static partial void LogCollected(ILogger logger, int count);

    private enum RuntimeStatus
    {
        NotStarted,
        Running,
        Stopping,
        Stopped,
    }
}
