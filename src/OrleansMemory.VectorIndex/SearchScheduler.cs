namespace OrleansMemory.VectorIndex;

/// <summary>How one index is searched while it changes: searches run on the search threads (<see cref="SearchThreads"/>:
/// one per core, apart from the thread pool), many at once, as readers of a
/// <see cref="ReadWriteGate"/>; the index's single writer changes it inside <see cref="Writing"/> (no await inside), and
/// the owner's other calls first wait for the searches in flight when they arrive (<see cref="WaitForSearchesInFlightAsync"/>):
/// as many searches must finish as had started. Searches that arrive later do not hold a write back, so writes are never
/// starved; they only stop jumping the queue (a grain runs its turns from the current thread's local queue, ahead of the
/// searches in the thread pool's global queue). It belongs to one index: nothing else in the process waits for it.</summary>
public sealed class SearchScheduler : IDisposable
{
    /// <summary>The longest a call waits for the searches before it (a safeguard: a search takes milliseconds).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    private readonly ReadWriteGate _gate = new();
    private readonly Lock _lock = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _waiting = [];
    private long _started;
    private long _finished;
    private long _nextTarget = long.MaxValue;

    /// <summary>Searches running or queued now.</summary>
    public int InFlight => (int)(Interlocked.Read(ref _started) - Interlocked.Read(ref _finished));

    /// <summary>Runs <paramref name="search"/> on a search thread as a reader, counted in flight until it ends; searches
    /// of every index in the process run oldest first.</summary>
    public Task<T> RunAsync<T>(Func<T> search)
    {
        ArgumentNullException.ThrowIfNull(search);
        Interlocked.Increment(ref _started);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        SearchThreads.Run(() =>
        {
            T result = default!;
            Exception? error = null;
            try
            {
                _gate.EnterRead();
                try
                {
                    result = search();
                }
                finally
                {
                    _gate.ExitRead();
                }
            }
            catch (Exception ex)
            {
                error = ex;
            }
            finally
            {
                Finished();
            }

            // Answered only once counted out and out of the gate: the caller's next write never finds its own search in the way.
            if (error is null)
            {
                done.SetResult(result);
            }
            else
            {
                done.SetException(error);
            }
        });
        return done.Task;
    }

    /// <summary>Enters as the writer until the scope is disposed (no await inside: readers wait for it).</summary>
    public WriteScope Writing()
    {
        _gate.EnterWrite();
        return new WriteScope(_gate);
    }

    /// <summary>Completes at once when no search is in flight; else when as many searches have finished as have
    /// started now (or after <see cref="MaxWait"/>). Returns whether it waited.</summary>
    public ValueTask<bool> WaitForSearchesInFlightAsync()
    {
        var target = Interlocked.Read(ref _started);
        if (Interlocked.Read(ref _finished) >= target)
        {
            return ValueTask.FromResult(false);
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiting.Add((target, done));
            _nextTarget = Math.Min(_nextTarget, target);
        }

        Release(Interlocked.Read(ref _finished)); // the searches may have finished meanwhile
        return WaitAsync(done.Task);
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private static async ValueTask<bool> WaitAsync(Task searches)
    {
        try
        {
            await searches.WaitAsync(MaxWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Go on: a search that takes a second is a problem of its own, not a reason to stop writing.
        }

        return true;
    }

    private void Finished()
    {
        var finished = Interlocked.Increment(ref _finished);
        if (finished >= Volatile.Read(ref _nextTarget))
        {
            Release(finished);
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

    /// <summary>The writer's scope: leaves the gate when disposed.</summary>
    public readonly struct WriteScope : IDisposable
    {
        private readonly ReadWriteGate _gate;

        internal WriteScope(ReadWriteGate gate) => _gate = gate;

        /// <inheritdoc />
        public void Dispose() => _gate.ExitWrite();
    }
}
