using System.Collections.Concurrent;

namespace OrleansMemory.Runtime;

/// <summary>Runs one activation's work items one at a time, in order, on the thread pool. Grain code awaits capture
/// this scheduler (it is <see cref="TaskScheduler.Current"/> inside a turn), so continuations return to the
/// activation and never run concurrently with its other work. A caller may run a turn inline on its own thread when
/// the scheduler is idle, which saves a thread hop per call.</summary>
internal sealed class ActivationTaskScheduler : TaskScheduler, IThreadPoolWorkItem
{
    private const int TurnsPerDrain = 64;

    [ThreadStatic]
    private static ActivationTaskScheduler? t_running;

    [ThreadStatic]
    private static int t_inlineDepth;

    private readonly ConcurrentQueue<Task> _queue = new();
    private Task? _inlineTask;
    private int _busy;

    /// <summary>Whether the current thread is running a turn of this scheduler.</summary>
    public bool IsRunningOnCurrentThread => t_running == this;

    /// <summary>Runs <paramref name="task"/> on the calling thread if the scheduler is idle and the inline depth allows;
    /// otherwise queues it.</summary>
    public void RunInlineOrQueue(Task task, int maxInlineDepth)
    {
        if (t_inlineDepth < maxInlineDepth && Interlocked.CompareExchange(ref _busy, 1, 0) == 0)
        {
            var previous = t_running;
            t_running = this;
            t_inlineDepth++;
            _inlineTask = task;
            try
            {
                task.RunSynchronously(this);
            }
            finally
            {
                _inlineTask = null;
                t_inlineDepth--;
                t_running = previous;
                Release();
            }

            return;
        }

        task.Start(this);
    }

    /// <inheritdoc />
    protected override void QueueTask(Task task)
    {
        _queue.Enqueue(task);
        if (ReferenceEquals(task, _inlineTask))
        {
            // RunSynchronously declined to inline (too little stack) and now waits for a worker: give it one.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            return;
        }

        if (Interlocked.CompareExchange(ref _busy, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        }
    }

    /// <inheritdoc />
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        t_running == this && !taskWasPreviouslyQueued && TryExecuteTask(task);

    /// <inheritdoc />
    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    /// <inheritdoc />
    public override int MaximumConcurrencyLevel => 1;

    void IThreadPoolWorkItem.Execute()
    {
        var previous = t_running;
        t_running = this;
        try
        {
            for (var i = 0; i < TurnsPerDrain && _queue.TryDequeue(out var task); i++)
            {
                TryExecuteTask(task);
            }
        }
        finally
        {
            t_running = previous;
            Release();
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
}
