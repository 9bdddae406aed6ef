using System.Buffers;

namespace OrleansMemory.Runtime;

/// <summary>A request sent on a connection, waiting for its response.</summary>
internal abstract class PendingCall
{
    private int _sent;

    protected PendingCall(long deadline, string description)
    {
        Deadline = deadline;
        Description = description;
    }

    /// <summary>The <see cref="Environment.TickCount64"/> after which the call times out.</summary>
    public long Deadline { get; }

    /// <summary>The call and its chain, for errors.</summary>
    public string Description { get; }

    /// <summary>Whether the request was handed to the socket (after which it may have run).</summary>
    public bool Sent => Volatile.Read(ref _sent) == 1;

    public void MarkSent() => Volatile.Write(ref _sent, 1);

    public abstract void Complete(WireCodec codec, ReadOnlySequence<byte> body);

    public abstract void Fail(Exception exception);

    public abstract void Cancel(CancellationToken token);
}

internal sealed class PendingCall<TResult>(long deadline, string description) : PendingCall(deadline, description)
{
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<TResult> Task => _completion.Task;

    public CancellationTokenRegistration Registration { get; set; }

    public override void Complete(WireCodec codec, ReadOnlySequence<byte> body)
    {
        try
        {
            _completion.TrySetResult(codec.DecodeResult<TResult>(body));
        }
        catch (Exception ex)
        {
            _completion.TrySetException(new RemoteGrainException(ex.GetType().FullName!, $"The result of {Description} could not be read: {ex.Message}"));
        }

        Registration.Dispose();
    }

    public void SetResult(TResult result)
    {
        _completion.TrySetResult(result);
        Registration.Dispose();
    }

    public override void Fail(Exception exception)
    {
        _completion.TrySetException(exception);
        Registration.Dispose();
    }

    public override void Cancel(CancellationToken token)
    {
        _completion.TrySetCanceled(token);
        Registration.Dispose();
    }
}
