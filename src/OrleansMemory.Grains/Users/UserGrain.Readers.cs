using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Users;

/// <summary>Searches of a large user run on the thread pool, many at once, beside the grain's single writer: searches
/// are <see cref="Orleans.Concurrency.AlwaysInterleaveAttribute"/>, so the grain hands each to the pool and is free for
/// the next call; the writer's turns change the matrix and rows only as the writer of a <see cref="ReadWriteGate"/>
/// (no await inside), and searches read them as its readers. So reads use every core and never see a half-made change,
/// and writes stay one at a time as in every grain.</summary>
public sealed partial class UserGrain
{
    private readonly ReadWriteGate _gate = new();

    /// <summary>The silo's count of searches in flight, which other calls wait for (null when the memory grains'
    /// services are not registered).</summary>
    private readonly SearchLoad? _searchLoad;

    /// <summary>Runs a search: inline for a small user (it takes microseconds), else on the thread pool as a reader.</summary>
    private Task<IReadOnlyList<MemorySearchResult>> SearchSharedAsync(float[] query, int topK, double minScore, MemoryFilter? filter)
    {
        if (_matrix.Count < EmbeddingMatrix.ExactScanRows)
        {
            return Task.FromResult(Search(query, topK, minScore, filter));
        }

        // PreferFairness: the thread pool's global FIFO queue rather than this thread's LIFO local queue, so that under
        // many concurrent searches the oldest runs first (tail latency) instead of the newest. Counted in the silo's
        // search load, which other calls to memory grains wait for (SearchLoad).
        var load = _searchLoad;
        load?.Enter();
        return Task.Factory.StartNew(() =>
        {
            try
            {
                _gate.EnterRead();
                try
                {
                    return Search(query, topK, minScore, filter);
                }
                finally
                {
                    _gate.ExitRead();
                }
            }
            finally
            {
                load?.Exit();
            }
        }, CancellationToken.None, TaskCreationOptions.PreferFairness | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
    }

    /// <summary>Enters as the writer for a change of the in-memory matrix and rows (dispose it; no await inside).</summary>
    private WriteScope Writing()
    {
        _gate.EnterWrite();
        return new WriteScope(_gate);
    }

    private readonly struct WriteScope(ReadWriteGate readers) : IDisposable
    {
        public void Dispose() => readers.ExitWrite();
    }
}
