namespace OrleansMemory.Runtime;

/// <summary>The outcome of a request, and the task its caller awaits. The task is created only when the caller asks
/// for it: a request that completed before that (a call run inline that never awaited) hands back an already
/// completed task and never allocates a <see cref="TaskCompletionSource{TResult}"/>. The first outcome wins, like
/// <c>TrySetResult</c>; continuations never run inline in the completing turn. A mutable struct held in a field of its
/// request (one allocation fewer per call): never copy it.</summary>
internal struct RequestCompletion<TResult>
{
    private const int Pending = 0;
    private const int Completing = 1;
    private const int Completed = 2;

    private int _state;
    private TResult? _result;
    private Exception? _exception;
    private TaskCompletionSource<TResult>? _source;
    private Task<TResult>? _task;

    public readonly bool IsCompleted => Volatile.Read(in _state) != Pending;

    public bool TrySetResult(TResult result) => TryComplete(result, null);

    public bool TrySetException(Exception exception) => TryComplete(default, exception);

    /// <summary>The task the caller awaits; the same task on every call.</summary>
    public Task<TResult> GetTask()
    {
        if (Volatile.Read(ref _task) is { } task)
        {
            return task;
        }

        if (Volatile.Read(ref _state) == Completed)
        {
            task = _exception is null ? Task.FromResult(_result!) : Task.FromException<TResult>(_exception);
            return Interlocked.CompareExchange(ref _task, task, null) ?? task;
        }

        var source = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var winner = Interlocked.CompareExchange(ref _source, source, null) ?? source;
        if (Volatile.Read(ref _state) == Completed)
        {
            // Completed while the source was being created: the completer may not have seen it.
            SetSource(winner);
        }

        return Interlocked.CompareExchange(ref _task, winner.Task, null) ?? winner.Task;
    }

    private bool TryComplete(TResult? result, Exception? exception)
    {
        if (Interlocked.CompareExchange(ref _state, Completing, Pending) != Pending)
        {
            return false;
        }

        _result = result;
        _exception = exception;
        Interlocked.Exchange(ref _state, Completed);
        if (Volatile.Read(ref _source) is { } source)
        {
            SetSource(source);
        }

        return true;
    }

    private void SetSource(TaskCompletionSource<TResult> source)
    {
        if (_exception is null)
        {
            source.TrySetResult(_result!);
        }
        else
        {
            source.TrySetException(_exception);
        }
    }
}
