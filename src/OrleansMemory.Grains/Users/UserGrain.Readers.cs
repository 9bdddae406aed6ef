using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Users;

/// <summary>Searches of a large user run on the thread pool, many at once, beside the grain's single writer: searches
/// are <see cref="Orleans.Concurrency.AlwaysInterleaveAttribute"/>, so the grain hands each to the pool and is free for
/// the next call; the writer's turns change the matrix and rows only inside a write lock, which has no await in it, and
/// searches read them under the read lock. So reads use every core and never see a half-made change, and writes stay
/// one at a time as in every grain.</summary>
public sealed partial class UserGrain
{
    private readonly ReaderWriterLockSlim _readers = new(LockRecursionPolicy.NoRecursion);

    /// <summary>Runs a search: inline for a small user (it takes microseconds), else on the thread pool under the read
    /// lock.</summary>
    private Task<IReadOnlyList<MemorySearchResult>> SearchSharedAsync(float[] query, int topK, double minScore, MemoryFilter? filter)
    {
        if (_matrix.Count < EmbeddingMatrix.ExactScanRows)
        {
            return Task.FromResult(Search(query, topK, minScore, filter));
        }

        // PreferFairness: the thread pool's global FIFO queue rather than this thread's LIFO local queue, so that under
        // many concurrent searches the oldest runs first (tail latency) instead of the newest.
        return Task.Factory.StartNew(() =>
        {
            _readers.EnterReadLock();
            try
            {
                return Search(query, topK, minScore, filter);
            }
            finally
            {
                _readers.ExitReadLock();
            }
        }, CancellationToken.None, TaskCreationOptions.PreferFairness | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
    }

    /// <summary>Holds the write lock for a change of the in-memory matrix and rows (dispose it; no await inside).</summary>
    private WriteScope Writing()
    {
        _readers.EnterWriteLock();
        return new WriteScope(_readers);
    }

    private readonly struct WriteScope(ReaderWriterLockSlim readers) : IDisposable
    {
        public void Dispose() => readers.ExitWriteLock();
    }
}
