namespace OrleansMemory.Runtime;

/// <summary>A grain timer: each tick is delivered to the activation as a request, so the callback runs as a turn of
/// the grain. The next tick is scheduled only after the previous one completed, so ticks never overlap.</summary>
internal sealed class GrainTimer : IGrainTimer
{
    private readonly ActivationData _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Timer _timer;
    private TimeSpan _period;

    public GrainTimer(ActivationData activation, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        Validate(dueTime, period);
        _activation = activation;
        _callback = callback;
        _period = period;
        DueTime = dueTime;
        _timer = new Timer(static state => ((GrainTimer)state!).Fire(), this, Timeout.Infinite, Timeout.Infinite);
    }

    private TimeSpan DueTime { get; set; }

    public void Start() => _timer.Change(DueTime, Timeout.InfiniteTimeSpan);

    public void Change(TimeSpan dueTime, TimeSpan period)
    {
        Validate(dueTime, period);
        _period = period;
        if (!_disposed.IsCancellationRequested)
        {
            _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _timer.Dispose();
        _activation.RemoveTimer(this);
    }

    private void Fire()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        if (!_activation.TryEnqueue(new SystemRequest(TickAsync, "timer", queuedAsRequest: true)))
        {
            Dispose();
        }
    }

    private async Task TickAsync()
    {
        try
        {
            await _callback(_disposed.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            TimerLog.TickFailed(_activation.Runtime.Logger, ex, _activation.GrainId);
        }
        finally
        {
            if (!_disposed.IsCancellationRequested && _period != Timeout.InfiniteTimeSpan)
            {
                try
                {
                    _timer.Change(_period, Timeout.InfiniteTimeSpan);
                }
                catch (ObjectDisposedException)
                {
                    // Disposed while ticking.
                }
            }
        }
    }

    private static void Validate(TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "Due time must be zero or positive.");
        }

        if (period <= TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "Period must be positive, or Timeout.InfiniteTimeSpan for a single tick.");
        }
    }
}
