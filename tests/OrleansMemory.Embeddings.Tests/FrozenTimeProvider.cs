namespace OrleansMemory.Embeddings.Tests;

/// <summary>A clock that never moves and whose timers never fire, counting the timers asked for: a wait timed by it
/// either never starts (no timer) or never ends, so a test sees whether code waited without measuring time.</summary>
internal sealed class FrozenTimeProvider : TimeProvider
{
    private int _timers;

    public int TimersCreated => Volatile.Read(ref _timers);

    public override long GetTimestamp() => 0;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _timers);
        return new NeverTimer();
    }

    private sealed class NeverTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
