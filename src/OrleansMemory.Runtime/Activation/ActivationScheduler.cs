using System.Collections.Concurrent;

namespace OrleansMemory.Runtime;

/// <summary>Runs one activation's work one item at a time, in order, on the thread pool. Every item runs with its
/// request as <see cref="SynchronizationContext.Current"/>, so an <c>await</c> in grain code posts its continuation
/// back here and grain code never runs concurrently with other work of the same activation. A caller may run a
/// request inline on its own thread when the activation is idle, which saves a thread hop per call.</summary>
internal sealed class ActivationScheduler : IThreadPoolWorkItem
{
    private const int ItemsPerDrain = 64;

    [ThreadStatic]
    private static int t_inlineDepth;

    private readonly ConcurrentQueue<WorkItem> _queue = new();
    private int _busy;

    /// <summary>Starts <paramref name="request"/> on the calling thread if the activation is idle and the inline depth
    /// allows; otherwise queues it.</summary>
    public void RunInlineOrQueue(GrainRequest request, int maxInlineDepth)
    {
        if (t_inlineDepth < maxInlineDepth && Interlocked.CompareExchange(ref _busy, 1, 0) == 0)
        {
            t_inlineDepth++;
            try
            {
                Run(new WorkItem(null, null, request));
            }
            finally
            {
                t_inlineDepth--;
                Release();
            }

            return;
        }

        Queue(request);
    }

    /// <summary>Queues the start of a request.</summary>
    public void Queue(GrainRequest request) => Enqueue(new WorkItem(null, null, request));

    /// <summary>Queues a continuation of a request (called by <see cref="GrainRequest.Post"/>).</summary>
    public void Post(SendOrPostCallback callback, object? state, GrainRequest request) => Enqueue(new WorkItem(callback, state, request));

    void IThreadPoolWorkItem.Execute()
    {
        try
        {
            for (var i = 0; i < ItemsPerDrain && _queue.TryDequeue(out var item); i++)
            {
                Run(item);
            }
        }
        finally
        {
            Release();
        }
    }

    private void Enqueue(WorkItem item)
    {
        _queue.Enqueue(item);
        if (Interlocked.CompareExchange(ref _busy, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        }
    }

    private static void Run(in WorkItem item)
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(item.Request);
        try
        {
            if (item.Callback is null)
            {
                item.Request.Execute();
            }
            else
            {
                item.Callback(item.State);
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private void Release()
    {
        Volatile.Write(ref _busy, 0);
        if (!_queue.IsEmpty && Interlocked.CompareExchange(ref _busy, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    private readonly record struct WorkItem(SendOrPostCallback? Callback, object? State, GrainRequest Request);
}
