using OrleansMemory.Configuration;
using OrleansMemory.Membership;

namespace OrleansMemory.Runtime;

/// <summary>Chooses where a call runs and sends it there: the placement ring over the active silos (from the
/// membership view), remote calls with retries of what is safe to retry, and the silo's serving state.</summary>
internal sealed partial class ClusterRouter
{
    private readonly ClusterTransport _transport;
    private readonly ClusterMembershipOptions _membership;
    private readonly Func<CancellationToken, Task>? _refreshView;
    private readonly object _ringLock = new();
    private volatile PlacementRing _ring = PlacementRing.Empty;
    private IReadOnlyCollection<SiloAddress> _active = [];
    private volatile string? _notServingReason;

    public ClusterRouter(ClusterTransport transport, ClusterMembershipOptions membership, TimeSpan responseTimeout, Func<CancellationToken, Task>? refreshView)
    {
        _transport = transport;
        _membership = membership;
        _refreshView = refreshView;
        ResponseTimeout = responseTimeout;
        transport.ViewProvider = () => new ViewReply([.. _active.Select(s => s.ToString())], ViewVersion);
        transport.Router = this;
    }

    public ClusterTransport Transport => _transport;

    public SiloAddress? Self => _transport.Self;

    public GrainRuntime? Runtime => _transport.Runtime;

    public TimeSpan ResponseTimeout { get; }

    public int MaxForwardCount => _membership.MaxForwardCount;

    public PlacementRing Ring => _ring;

    /// <summary>This silo is leaving: it is out of its own ring and hands its grains to their new homes.</summary>
    public bool IsLeaving { get; private set; }

    /// <summary>Null while the silo serves grain calls; otherwise why it does not (cut off from the membership table,
    /// declared dead).</summary>
    public string? NotServingReason => _notServingReason;

    /// <summary>Raised (on the membership thread) after the ring changed.</summary>
    public event Action? RingChanged;

    public void SetServing(string? notServingReason) => _notServingReason = notServingReason;

    /// <summary>The membership table version of the current view.</summary>
    public long ViewVersion { get; private set; }

    /// <summary>Brings the view up to at least the given table version (reads the table); null in clients.</summary>
    public Func<long, Task>? CatchUp { get; set; }

    /// <summary>Installs a new membership view: the active silos as of table version <paramref name="version"/>
    /// (an older view than the current one is ignored).</summary>
    public void UpdateActiveSilos(IReadOnlyCollection<SiloAddress> active, long version)
    {
        lock (_ringLock)
        {
            if (version < ViewVersion)
            {
                return;
            }

            ViewVersion = version;
            _active = active;
            RebuildRing();
        }
    }

    public void BeginLeaving()
    {
        lock (_ringLock)
        {
            IsLeaving = true;
            RebuildRing();
        }
    }

    /// <summary>Whether this silo is the grain's home (always true while the ring is empty).</summary>
    public bool IsLocal(GrainId grainId)
    {
        var ring = _ring;
        if (ring.Single is { } single)
        {
            return ReferenceEquals(single, Self) || single.Equals(Self);
        }

        return ring.IsEmpty || Equals(ring.GetOwner(grainId), Self);
    }

    /// <summary>Sends a call to the grain's home silo (or to <paramref name="destination"/>), retrying while the call
    /// was not sent or was refused, and, for <c>[ReadOnly]</c> methods, when the silo died after it was sent.</summary>
    public async Task<TResult> InvokeAsync<TResult>(GrainId target, GrainMethod<TResult> method, object?[] arguments, GrainRequest? parent,
        long deadline, SiloAddress? destination = null, int hops = 0, bool force = false)
    {
        var chain = parent is null ? null : parent.DescribeChain().ToArray();
        var description = chain is null ? $"call {target}.{method.InterfaceMethod.Name}" : $"call {target}.{method.InterfaceMethod.Name} (call chain: {string.Join(" -> ", chain)})";
        Exception? last = null;
        for (var attempt = 0; ; attempt++)
        {
            var home = destination ?? _ring.GetOwner(target);
            try
            {
                if (home is null || (Self is not null && home.Equals(Self)))
                {
                    if (Runtime is not { } runtime)
                    {
                        throw new CallNotSentException($"No active silo is known for {description}.");
                    }

                    return await runtime.ReceiveAsync(target, method, CopyArguments(method, arguments), parent, deadline, hops, force: true).ConfigureAwait(false);
                }

                var connection = await _transport.GetConnectionAsync(home).ConfigureAwait(false);
                var header = new WireHeader
                {
                    Kind = MessageKind.Request,
                    Target = target.ToString(),
                    Method = method.WireName,
                    TimeoutMs = deadline == long.MaxValue ? 0 : Math.Max(1, deadline - Environment.TickCount64),
                    Hops = hops,
                    Force = force,
                    Chain = chain,
                    ViewVersion = ViewVersion,
                };
                return await connection.CallAsync(method, header, arguments, deadline, description).ConfigureAwait(false);
            }
            catch (SiloRefusedCallException ex)
            {
                last = new CallNotSentException(ex.Message, ex.InnerException);
            }
            catch (CallNotSentException ex)
            {
                last = ex;
            }
            catch (CallOutcomeUnknownException ex) when (method.IsReadOnly)
            {
                last = ex;
            }
            catch (CallOutcomeUnknownException ex)
            {
                throw new SiloUnavailableException($"{ex.Message} It was not retried because {method.Name} is not [ReadOnly]; check its effect before calling it again.");
            }

            if (Environment.TickCount64 + (long)_transport.Options.RetryDelay.TotalMilliseconds >= deadline)
            {
                throw last.InnerException is { } refusal and not (System.Net.Sockets.SocketException or OperationCanceledException)
                    ? refusal
                    : new SiloUnavailableException($"{last.Message} Retried {attempt + 1} times until the response timeout.");
            }

            destination = null;
            force = false;
            await Task.Delay(_transport.Options.RetryDelay).ConfigureAwait(false);
            if (_refreshView is not null)
            {
                try
                {
                    await _refreshView(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // The next attempt uses the view we have.
                }
            }
        }
    }

    private static object?[] CopyArguments(GrainMethod method, object?[] arguments)
    {
        if (!method.AnyArgumentNeedsCopy)
        {
            return arguments;
        }

        var copy = (object?[])arguments.Clone();
        for (var i = 0; i < copy.Length; i++)
        {
            if (method.ArgumentNeedsCopy[i])
            {
                copy[i] = DeepCopier.Copy(copy[i]);
            }
        }

        return copy;
    }

    private void RebuildRing()
    {
        var silos = IsLeaving && Self is { } self ? [.. _active.Where(s => !s.Equals(self))] : _active;
        if (_ring.SameSilos(silos) && !(_ring.IsEmpty && silos.Count > 0))
        {
            return;
        }

        _ring = new PlacementRing(silos, _membership.VirtualNodesPerSilo);
        RingChanged?.Invoke();
    }
}
