namespace OrleansMemory.Runtime;

/// <summary>One activation of a grain: its instance, its queue of requests and its lifecycle
/// (created, activating, valid, deactivating, invalid). Decides which request may run when: one at a time, unless
/// the class is reentrant or the methods interleave.</summary>
internal sealed partial class ActivationData
{
    [ThreadStatic]
    private static ActivationData? t_constructing;

    private readonly object _lock = new();
    private readonly LinkedList<GrainRequest> _waiting = new();
    private int _waitingInterleavable;
    private readonly List<GrainRequest> _running = new(1);
    private readonly List<GrainTimer> _timers = [];
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ActivationStatus _status = ActivationStatus.Created;
    private DeactivationReason? _pendingDeactivation;
    private IPersistentStateLoader[] _states = [];
    private long _lastActive = Environment.TickCount64;

    public ActivationData(GrainId grainId, GrainClass grainClass, GrainRuntime runtime)
    {
        GrainId = grainId;
        GrainClass = grainClass;
        Runtime = runtime;
    }

    /// <summary>The activation whose grain instance is being constructed on this thread.</summary>
    internal static ActivationData? Constructing
    {
        get => t_constructing;
        set => t_constructing = value;
    }

    public GrainId GrainId { get; }

    public GrainClass GrainClass { get; }

    public GrainRuntime Runtime { get; }

    public ActivationScheduler Scheduler { get; } = new();

    public Grain? Instance { get; private set; }

    /// <summary>Completes when the activation has been deactivated (or failed to activate).</summary>
    public Task Deactivated => _deactivated.Task;

    /// <summary>Delivers a request. Returns false if this activation is gone; the caller then finds or creates a new one.</summary>
    public bool TryEnqueue(GrainRequest request)
    {
        var activate = false;
        var start = false;
        lock (_lock)
        {
            if (_status == ActivationStatus.Invalid)
            {
                return false;
            }

            request.Bind(this);
            if (_status == ActivationStatus.Created)
            {
                _status = ActivationStatus.Activating;
                activate = true;
                Wait(request);
            }
            else if (_status == ActivationStatus.Valid && _pendingDeactivation is null && CanStart(request))
            {
                _running.Add(request);
                start = true;
            }
            else if (FindDeadlock(request) is { } cycle)
            {
                request.Fail(cycle);
                return true;
            }
            else
            {
                Wait(request);
            }
        }

        if (activate)
        {
            Scheduler.Queue(SystemRequest.Lifecycle(this, ActivateAsync, "activate"));
        }
        else if (start)
        {
            Scheduler.RunInlineOrQueue(request, Runtime.MaxInlineCallDepth);
        }

        return true;
    }

    /// <summary>Called from the request's turn when it has completed.</summary>
    public void OnRequestCompleted(GrainRequest request)
    {
        List<GrainRequest>? toStart;
        bool deactivate;
        lock (_lock)
        {
            _running.Remove(request);
            if (request.KeepsAlive)
            {
                _lastActive = Runtime.CoarseClock;
            }

            (toStart, deactivate) = Pump();
        }

        StartAll(toStart, deactivate);
    }

    /// <summary>Asks the activation to deactivate once it is idle (for shutdown: once its queue is drained too).</summary>
    public Task RequestDeactivation(DeactivationReason reason)
    {
        List<GrainRequest>? toStart = null;
        var deactivate = false;
        lock (_lock)
        {
            if (_status is ActivationStatus.Created)
            {
                _status = ActivationStatus.Invalid;
                _deactivated.TrySetResult();
                Runtime.RemoveActivation(this);
                return Deactivated;
            }

            if (_status is ActivationStatus.Activating or ActivationStatus.Valid && _pendingDeactivation is null)
            {
                _pendingDeactivation = reason;
                (toStart, deactivate) = Pump();
            }
        }

        StartAll(toStart, deactivate);
        return Deactivated;
    }

    /// <summary>Deactivates the activation if it has had no request since <paramref name="idleSince"/> (a <see cref="Environment.TickCount64"/> value).</summary>
    public bool TryCollect(long idleSince)
    {
        lock (_lock)
        {
            if (_status != ActivationStatus.Valid || _running.Count > 0 || _waiting.Count > 0 || _lastActive > idleSince || _pendingDeactivation is not null)
            {
                return false;
            }
        }

        RequestDeactivation(new DeactivationReason(DeactivationReasonCode.ActivationIdle, "The activation was idle for longer than the collection age."));
        return true;
    }

    /// <summary>Fails requests whose deadline has passed with a <see cref="TimeoutException"/> naming their call chain.</summary>
    public void ExpireRequests(long now, TimeSpan timeout)
    {
        List<GrainRequest>? expired = null;
        lock (_lock)
        {
            foreach (var request in _running.Concat(_waiting))
            {
                if (now > request.Deadline && !request.IsCompleted)
                {
                    (expired ??= []).Add(request);
                }
            }
        }

        foreach (var request in expired ?? [])
        {
            var chain = request.DescribeChain();
            request.Fail(new TimeoutException(
                $"Response did not arrive on time in {timeout} for call {request.Describe()} (call chain: {string.Join(" -> ", chain)}). " +
                $"Activation {GrainId} was busy with {DescribeRunning()}."));
        }
    }

    public IGrainTimer RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new GrainTimer(this, callback, dueTime, period);
        lock (_lock)
        {
            if (_status is ActivationStatus.Deactivating or ActivationStatus.Invalid)
            {
                throw new InvalidOperationException($"Grain {GrainId} is deactivating; it cannot register timers.");
            }

            _timers.Add(timer);
        }

        timer.Start();
        return timer;
    }

    public void RemoveTimer(GrainTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    private bool CanStart(GrainRequest request) =>
        _running.Count == 0
        || GrainClass.IsReentrant
        || request.IsAlwaysInterleave
        || (request.IsReadOnly && _running.TrueForAll(r => r.IsReadOnly));

    private DeadlockException? FindDeadlock(GrainRequest request)
    {
        if (GrainClass.IsReentrant || request.IsAlwaysInterleave)
        {
            return null;
        }

        foreach (var running in _running)
        {
            if (request.DescendsFrom(running))
            {
                var chain = request.DescribeChain();
                return new DeadlockException(
                    $"Deadlock: the call chain {string.Join(" -> ", chain)} returns to grain {GrainId}, which is not reentrant and is " +
                    $"still busy with {running.Describe()}, the call that started the chain; the call would wait until the response timeout " +
                    $"({Runtime.ResponseTimeout}). Mark the grain class [Reentrant] or the method [AlwaysInterleave], or break the cycle.",
                    chain);
            }
        }

        return null;
    }

    /// <summary>Starts what may start now and reports whether deactivation may begin. Called under the lock.</summary>
    private (List<GrainRequest>? ToStart, bool Deactivate) Pump()
    {
        if (_status != ActivationStatus.Valid)
        {
            return (null, false);
        }

        List<GrainRequest>? toStart = null;
        var draining = _pendingDeactivation is { ReasonCode: DeactivationReasonCode.ShuttingDown };
        var blocked = _pendingDeactivation is not null && !draining;
        var node = _waiting.First;
        while (node is not null && !blocked)
        {
            var next = node.Next;
            var request = node.Value;
            if (request.IsCompleted)
            {
                Unwait(node);
            }
            else if (CanStart(request))
            {
                Unwait(node);
                _running.Add(request);
                (toStart ??= []).Add(request);
            }
            else if (_waitingInterleavable == 0)
            {
                // Requests that cannot interleave keep their order: nothing behind this one may start either.
                break;
            }

            node = next;
        }

        var deactivate = _pendingDeactivation is not null && _running.Count == 0 && (!draining || _waiting.Count == 0);
        if (deactivate)
        {
            _status = ActivationStatus.Deactivating;
        }

        return (toStart, deactivate);
    }

    private void Wait(GrainRequest request)
    {
        _waiting.AddLast(request);
        if (request.IsAlwaysInterleave || request.IsReadOnly)
        {
            _waitingInterleavable++;
        }
    }

    private void Unwait(LinkedListNode<GrainRequest> node)
    {
        _waiting.Remove(node);
        if (node.Value.IsAlwaysInterleave || node.Value.IsReadOnly)
        {
            _waitingInterleavable--;
        }
    }

    private void StartAll(List<GrainRequest>? toStart, bool deactivate)
    {
        foreach (var request in toStart ?? [])
        {
            Scheduler.Queue(request);
        }

        if (deactivate)
        {
            Scheduler.Queue(SystemRequest.Lifecycle(this, DeactivateAsync, "deactivate"));
        }
    }

    private string DescribeRunning()
    {
        lock (_lock)
        {
            return _running.Count == 0 ? "nothing (the request was queued behind activation)" : string.Join(", ", _running.Select(r => r.Describe()));
        }
    }
}
