namespace OrleansMemory.Grains;

/// <summary>Searches first, silo-wide: counts the searches that run on the thread pool (<see cref="Users.UserGrain"/>)
/// and lets other calls to memory grains wait until the searches already in flight when they arrived have had their
/// turn (<see cref="WaitForSearchesInFlightAsync"/>, from <see cref="SearchesFirstCallFilter"/>): as many searches must
/// finish as had started. Searches that arrive later do not hold a write back, so writes are never starved; they only
/// stop jumping the queue. Without it a caller adding memories as fast as it could took most of a core (Orleans runs a
/// grain's turns from the current thread's local queue, ahead of the searches waiting in the thread pool's global
/// queue), and 64 concurrent searches on two cores saw p99 of 25-49 ms instead of 10-16 ms. A pass through the global
/// queue was not enough once searches got fast: they then wait mostly in the grain's own queue, which a write passes
/// in a millisecond.</summary>
public sealed class SearchLoad
{
    /// <summary>The longest a call waits for the searches before it (a safeguard: a search takes milliseconds).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _waiting = [];
    private long _started;
    private long _finished;
    private long _nextTarget = long.MaxValue;
    private long _waits;

    /// <summary>Searches running or queued now.</summary>
    public int InFlight => (int)(Interlocked.Read(ref _started) - Interlocked.Read(ref _finished));

    /// <summary>Searches counted in since the silo started.</summary>
    public long Started => Interlocked.Read(ref _started);

    /// <summary>Calls that waited for searches since the silo started.</summary>
    public long Waits => Interlocked.Read(ref _waits);

    /// <summary>Counts a search in until <see cref="Exit"/>.</summary>
    public void Enter() => Interlocked.Increment(ref _started);

    /// <summary>Counts a search out and releases the calls waiting for it.</summary>
    public void Exit()
    {
        var finished = Interlocked.Increment(ref _finished);
        if (finished >= Volatile.Read(ref _nextTarget))
        {
            Release(finished);
        }
    }

    /// <summary>Completes at once when no search is in flight; else when as many searches have finished as have
    /// started now (or after <see cref="MaxWait"/>).</summary>
    public Task WaitForSearchesInFlightAsync()
    {
        var target = Interlocked.Read(ref _started);
        if (Interlocked.Read(ref _finished) >= target)
        {
            return Task.CompletedTask;
        }

        Interlocked.Increment(ref _waits);
        Users.SearchMetrics.RecordWait();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiting.Add((target, done));
            Volatile.Write(ref _nextTarget, Math.Min(_nextTarget, target));
        }

        Release(Interlocked.Read(ref _finished)); // the searches may have finished meanwhile
        return WaitAsync(done.Task);
    }

    private static async Task WaitAsync(Task searches)
    {
        try
        {
            await searches.WaitAsync(MaxWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Go on: a search that takes a second is a problem of its own, not a reason to stop writing.
        }
    }

    private void Release(long finished)
    {
        List<TaskCompletionSource>? ready = null;
        lock (_lock)
        {
            var next = long.MaxValue;
            for (var i = _waiting.Count - 1; i >= 0; i--)
            {
                var (target, done) = _waiting[i];
                if (target <= finished)
                {
                    (ready ??= []).Add(done);
                    _waiting.RemoveAt(i);
                }
                else
                {
                    next = Math.Min(next, target);
                }
            }

            Volatile.Write(ref _nextTarget, next);
        }

        ready?.ForEach(done => done.TrySetResult());
    }
}
