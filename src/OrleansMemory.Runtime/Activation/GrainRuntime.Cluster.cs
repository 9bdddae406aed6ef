using OrleansMemory.Membership;

namespace OrleansMemory.Runtime;

/// <summary>The cluster side of the runtime: placement checks before local dispatch, calls that arrive from other
/// processes, forwarding, and migration of grains whose home moved.</summary>
internal sealed partial class GrainRuntime
{
    private static readonly DeactivationReason Migrating = new(DeactivationReasonCode.Migrating, "The grain's home moved to another silo.");
    private ClusterRouter? _cluster;

    /// <summary>The cluster router; null for a silo without clustering (then every call is local).</summary>
    public ClusterRouter? Cluster => _cluster;

    /// <summary>Routes calls through <paramref name="router"/> from now on.</summary>
    public void AttachCluster(ClusterRouter router)
    {
        _cluster = router;
        router.RingChanged += MigrateMovedGrains;
    }

    /// <summary>A call that arrived from another process (or that the router placed here): runs here if this silo is
    /// the grain's home (or <paramref name="force"/>), else is forwarded, at most <see cref="ClusterRouter.MaxForwardCount"/> times.</summary>
    public Task<TResult> ReceiveAsync<TResult>(GrainId target, GrainMethod<TResult> method, object?[] arguments, GrainRequest? parent, long deadline, int hops, bool force)
    {
        if (_status is RuntimeStatus.NotStarted or RuntimeStatus.Stopped)
        {
            return Task.FromException<TResult>(new SiloRefusedCallException(Unavailable(target, method.Name)));
        }

        if (_cluster is { } cluster)
        {
            if (cluster.NotServingReason is { } reason)
            {
                return Task.FromException<TResult>(new SiloRefusedCallException(new SiloUnavailableException($"Call {target}.{method.Name} refused by silo {cluster.Self}: {reason}.")));
            }

            if (!force && !cluster.IsLocal(target))
            {
                if (hops >= cluster.MaxForwardCount)
                {
                    return Task.FromException<TResult>(new SiloRefusedCallException(new SiloUnavailableException(
                        $"Call {target}.{method.Name} was forwarded {hops} times between silos whose membership views disagree; it was not run.")));
                }

                var request = new MethodRequest<TResult>(target, method, arguments, parent, deadline, this) { Hops = hops };
                RouteAway(cluster, target, request);
                return request.Task;
            }
        }

        var local = new MethodRequest<TResult>(target, method, arguments, parent, deadline, this) { Hops = hops };
        DispatchHere(target, local);
        return local.Task;
    }

    /// <summary>Sends a request whose grain lives elsewhere to its home: after the local activation (if any) has
    /// deactivated, so that two activations never run at once on the way over.</summary>
    private bool TryRouteAway(GrainId target, GrainRequest request)
    {
        if (_cluster is not { } cluster || cluster.IsLocal(target))
        {
            return false;
        }

        RouteAway(cluster, target, request);
        return true;
    }

    private void RouteAway(ClusterRouter cluster, GrainId target, GrainRequest request)
    {
        if (_activations.TryGetValue(target, out var activation))
        {
            activation.RequestDeactivation(Migrating);
            if (activation.TryEnqueue(request))
            {
                return; // redispatched when the activation has deactivated
            }
        }

        if (request is IForwardableRequest forwardable && cluster.Ring.GetOwner(target) is { } home)
        {
            forwardable.Forward(cluster, home, force: cluster.IsLeaving);
        }
        else
        {
            request.Fail(new SiloUnavailableException($"{request.Describe()} cannot be forwarded: no active silo is known."));
        }
    }

    /// <summary>After a ring change: deactivates every activation whose home is now another silo.</summary>
    private void MigrateMovedGrains()
    {
        if (_cluster is not { } cluster)
        {
            return;
        }

        foreach (var (grainId, activation) in _activations)
        {
            if (!cluster.IsLocal(grainId))
            {
                activation.RequestDeactivation(Migrating);
            }
        }
    }

    /// <summary>Deactivates every activation (the silo is leaving) and waits until they are gone or time runs out.</summary>
    public async Task DeactivateAllAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        for (var round = 0; round < 10 && !_activations.IsEmpty; round++)
        {
            var pending = _activations.Values.Select(a => a.RequestDeactivation(reason)).ToArray();
            await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Grain ids of the activations on this silo (tests, diagnostics).</summary>
    public IReadOnlyCollection<GrainId> ActivationIds => [.. _activations.Keys];

    /// <summary>Refuses everything from now on, without deactivating (a silo killed hard, or declared dead).</summary>
    public void Halt() => _status = RuntimeStatus.Stopped;

    /// <summary>The silo address, for messages.</summary>
    public SiloAddress? SiloAddress => _cluster?.Self;
}

/// <summary>A request that can be sent to another silo and completed with that silo's answer.</summary>
internal interface IForwardableRequest
{
    void Forward(ClusterRouter cluster, SiloAddress home, bool force);
}
