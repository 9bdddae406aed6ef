using OrleansMemory.Runtime;

namespace OrleansMemory;

/// <summary>Base class of grain implementations. The runtime creates instances (constructor parameters come from
/// dependency injection and <see cref="PersistentStateAttribute"/>), loads their state, calls
/// <see cref="OnActivateAsync"/>, and runs their methods one turn at a time.</summary>
public abstract class Grain : IAddressable
{
    private readonly ActivationData _activation;

    /// <summary>Binds the instance to the activation the runtime is creating.</summary>
    /// <exception cref="InvalidOperationException">The grain was created with <c>new</c> rather than by the runtime.</exception>
    protected Grain()
    {
        _activation = ActivationData.Constructing
            ?? throw new InvalidOperationException(
                $"{GetType().Name} was created outside the grain runtime. Get grains with IGrainFactory.GetGrain<T>(key).");
    }

    /// <inheritdoc />
    public GrainId GrainId => _activation.GrainId;

    /// <summary>Creates references to other grains (and to this one).</summary>
    protected IGrainFactory GrainFactory => _activation.Runtime.GrainFactory;

    /// <summary>The silo's services.</summary>
    protected IServiceProvider ServiceProvider => _activation.Runtime.Services;

    internal ActivationData Activation => _activation;

    /// <summary>Runs once when the activation is created, after persistent state has been read and before the first call.
    /// An exception fails the activation and every call waiting for it.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs once when the activation is deactivated (idle collection, <see cref="DeactivateOnIdle"/>,
    /// shutdown). Write state here if it must survive; the token is cancelled when the deactivation time runs out.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivates this activation as soon as the current request and all queued ones are done.</summary>
    protected void DeactivateOnIdle() => _activation.RequestDeactivation(
        new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "DeactivateOnIdle was called."));

    /// <summary>Registers a timer whose callback runs as a turn of this grain (never concurrently with a request).
    /// The next tick is scheduled after the callback completes; the timer stops when the activation deactivates
    /// or the returned timer is disposed. Timer ticks do not keep the activation from being collected when idle.</summary>
    /// <param name="callback">The callback; its token is cancelled when the timer is disposed.</param>
    /// <param name="dueTime">The delay before the first tick.</param>
    /// <param name="period">The delay between the end of a tick and the next; <see cref="Timeout.InfiniteTimeSpan"/> for one tick.</param>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return RegisterGrainTimer(static (cb, ct) => cb(ct), callback, dueTime, period);
    }

    /// <summary>Registers a timer with a state object; see <see cref="RegisterGrainTimer(Func{CancellationToken, Task}, TimeSpan, TimeSpan)"/>.</summary>
    protected IGrainTimer RegisterGrainTimer<TState>(Func<TState, CancellationToken, Task> callback, TState state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return _activation.RegisterTimer(ct => callback(state, ct), dueTime, period);
    }
}
