using Microsoft.Extensions.Logging;

namespace OrleansMemory.Runtime;

internal sealed partial class ActivationData
{
    /// <summary>The activation turn: construct the grain, read its state, run <c>OnActivateAsync</c>, then start the
    /// queued requests. On failure every queued request fails with the reason and the activation is discarded.</summary>
    private async Task ActivateAsync()
    {
        try
        {
            var (instance, states) = GrainClass.CreateInstance(this);
            Instance = instance;
            _states = states;
            using var timeout = new CancellationTokenSource(Runtime.ResponseTimeout);
            foreach (var state in _states)
            {
                await state.ReadStateAsync(timeout.Token);
            }

            await instance.OnActivateAsync(timeout.Token);
        }
        catch (Exception ex)
        {
            var failure = ex as GrainActivationException
                ?? new GrainActivationException($"Activation of grain {GrainId} ({GrainClass.ClassType.Name}) failed: {ex.Message}", ex);
            LogActivationFailed(Runtime.Logger, ex, GrainId);
            GrainRequest[] waiting;
            lock (_lock)
            {
                _status = ActivationStatus.Invalid;
                waiting = [.. _waiting];
                _waiting.Clear();
                _waitingInterleavable = 0;
            }

            DisposeTimers();
            Runtime.RemoveActivation(this);
            _deactivated.TrySetResult();
            foreach (var request in waiting)
            {
                request.Fail(failure);
            }

            return;
        }

        Runtime.Instruments.ActivationAdded(GrainClass.GrainType);
        List<GrainRequest>? toStart;
        bool deactivate;
        lock (_lock)
        {
            _status = ActivationStatus.Valid;
            (toStart, deactivate) = Pump();
        }

        StartAll(toStart, deactivate);
    }

    /// <summary>The deactivation turn: stop timers, run <c>OnDeactivateAsync</c>, leave the catalog, and send requests
    /// that arrived meanwhile to a new activation.</summary>
    private async Task DeactivateAsync()
    {
        var reason = _pendingDeactivation!.Value;
        DisposeTimers();
        try
        {
            using var timeout = new CancellationTokenSource(Runtime.DeactivationTimeout);
            await Instance!.OnDeactivateAsync(reason, timeout.Token);
        }
        catch (Exception ex)
        {
            LogDeactivationFailed(Runtime.Logger, ex, GrainId, reason);
        }

        GrainRequest[] waiting;
        lock (_lock)
        {
            _status = ActivationStatus.Invalid;
            waiting = [.. _waiting];
            _waiting.Clear();
            _waitingInterleavable = 0;
        }

        Runtime.RemoveActivation(this);
        Runtime.Instruments.ActivationRemoved(GrainClass.GrainType);
        _deactivated.TrySetResult();
        foreach (var request in waiting)
        {
            if (!request.IsCompleted && request.KeepsAlive)
            {
                Runtime.Redispatch(GrainId, request);
            }
        }
    }

    private void DisposeTimers()
    {
        GrainTimer[] timers;
        lock (_lock)
        {
            timers = [.. _timers];
            _timers.Clear();
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Activation of grain {GrainId} failed")]
    private static partial void LogActivationFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OnDeactivateAsync of grain {GrainId} failed ({Reason})")]
    private static partial void LogDeactivationFailed(ILogger logger, Exception exception, GrainId grainId, DeactivationReason reason);
}
