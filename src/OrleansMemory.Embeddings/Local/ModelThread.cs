using System.Collections.Concurrent;

namespace OrleansMemory.Embeddings.Local;

/// <summary>The thread the local model runs on, apart from the .NET thread pool. A run keeps its thread busy for
/// milliseconds (a formation step's batch for tens of them); on the pool it would hold one of the few threads (one per
/// core) that every grain turn, socket completion and timer of the silo needs, and they would queue behind it, as searches
/// did before they got threads of their own. One thread: the model runs one batch at a time (it uses every core).</summary>
internal static class ModelThread
{
    /// <summary>The thread's name.</summary>
    public const string Name = "omem-model";

    private static readonly BlockingCollection<Action> Queue = Start();

    /// <summary>Queues <paramref name="work"/>; it runs on the model thread unless <paramref name="cancellationToken"/> is
    /// cancelled before it starts. The task's continuations run on the pool, not on the model thread.</summary>
    public static Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue.Add(() =>
        {
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                completion.TrySetResult(work());
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                completion.TrySetCanceled(cancellationToken);
            }
            catch (Exception ex)
            {
                completion.TrySetException(ex);
            }
        });
        return completion.Task;
    }

    private static BlockingCollection<Action> Start()
    {
        var queue = new BlockingCollection<Action>(new ConcurrentQueue<Action>());
        new Thread(() =>
        {
            foreach (var work in queue.GetConsumingEnumerable())
            {
                work(); // never throws: RunAsync completes its task with the work's exception
            }
        })
        {
            IsBackground = true,
            Name = Name,
        }.Start();
        return queue;
    }
}
