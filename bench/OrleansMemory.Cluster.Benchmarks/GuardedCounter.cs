namespace OrleansMemory.Cluster.Benchmarks;

/// <summary>The local-call baseline: a plain object whose method runs one caller at a time behind a
/// <see cref="SemaphoreSlim"/>, as a grain's turns do, but without a proxy, message, copy or scheduler.</summary>
/// <param name="yield">Whether the method yields once (<c>await Task.Yield()</c>), so that every call completes
/// asynchronously on the thread pool, as a grain call always does.</param>
internal sealed class GuardedCounter(bool yield)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _count;

    /// <summary>Returns <paramref name="value"/> + 1 and counts the call.</summary>
    public async Task<int> PingAsync(int value)
    {
        await _gate.WaitAsync();
        try
        {
            if (yield)
            {
                await Task.Yield();
            }

            _count++;
            return value + 1;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Calls so far.</summary>
    public int Count => _count;
}
