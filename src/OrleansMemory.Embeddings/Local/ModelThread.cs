using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace OrleansMemory.Embeddings.Local;

/// <summary>A thread the local model runs on, apart from the .NET thread pool. A run keeps its thread busy for
/// milliseconds (a formation step's batch for tens of them); on the pool it would hold one of the few threads (one per
/// core) that every grain turn, socket completion and timer of the silo needs, and they would queue behind it, as searches
/// did before they got threads of their own. Each thread runs one batch at a time (a run uses every core).
/// <list type="bullet">
/// <item><see cref="Interactive"/> runs the embeddings a caller waits for.</item>
/// <item><see cref="Background"/> runs background work (memory formation). On Linux it has the idle scheduling policy
/// (<c>SCHED_IDLE</c>): any other thread that wakes takes its core at once, so an append or a grain turn that arrives
/// during a formation step's batch does not wait for it. (A lower nice value is not enough: a woken thread waited up to
/// the scheduler's next tick behind a running one, see the search threads.) ONNX Runtime's own worker threads keep the
/// policy of the thread that created the session, which is why the model is never loaded on this thread.</item>
/// </list></summary>
internal sealed partial class ModelThread
{
    /// <summary>The thread of the embeddings callers wait for.</summary>
    public static ModelThread Interactive { get; } = new("omem-model", idle: false);

    /// <summary>The thread of background embeddings (idle scheduling policy on Linux).</summary>
    public static ModelThread Background { get; } = new("omem-model-background", idle: true);

    private const int IdlePolicy = 5; // SCHED_IDLE

    private readonly BlockingCollection<Action> _queue = new(new ConcurrentQueue<Action>());

    private ModelThread(string name, bool idle)
    {
        Name = name;
        new Thread(() =>
        {
            if (idle && OperatingSystem.IsLinux())
            {
                var priority = 0; // the only priority of SCHED_IDLE; moving a thread to it needs no privilege
                _ = SetScheduler(0 /* the calling thread */, IdlePolicy, ref priority);
            }

            foreach (var work in _queue.GetConsumingEnumerable())
            {
                work(); // never throws: RunAsync completes its task with the work's exception
            }
        })
        {
            IsBackground = true,
            Name = name,
        }.Start();
    }

    /// <summary>The thread's name.</summary>
    public string Name { get; }

    /// <summary>Queues <paramref name="work"/>; it runs on this thread unless <paramref name="cancellationToken"/> is
    /// cancelled before it starts. The task's continuations run on the pool, not on the model thread.</summary>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(() =>
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

    [LibraryImport("libc", EntryPoint = "sched_setscheduler")]
    private static partial int SetScheduler(int pid, int policy, ref int priority);
}
