namespace OrleansMemory.Runtime;

/// <summary>Stands for the call chain of a request that arrived from another process: the parent of the request
/// the receiving silo creates, so that timeout and deadlock messages still name the whole chain.</summary>
internal sealed class RemoteCallerRequest(string[] chain, long deadline) : GrainRequest(parent: null, deadline)
{
    public override bool IsCompleted => false;

    public override bool IsReadOnly => false;

    public override bool IsAlwaysInterleave => false;

    public override void Bind(ActivationData activation) => throw new InvalidOperationException("A remote caller is never delivered to an activation.");

    public override void Execute() => throw new InvalidOperationException("A remote caller is never executed.");

    public override void Fail(Exception exception)
    {
    }

    public override string Describe() => string.Join(" -> ", chain);
}

/// <summary>Control flow of the router: the call never left this process (connect failed, connection closed before
/// sending, or the target refused it without running it), so it is safe to send it again.</summary>
internal sealed class CallNotSentException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Control flow of the router: the connection died after the call was sent; it may or may not have run.</summary>
internal sealed class CallOutcomeUnknownException(string message) : Exception(message);

/// <summary>A silo refused a call without running it (not serving, not joined, forwarded too often); the inner
/// exception is what the caller sees if retries run out.</summary>
internal sealed class SiloRefusedCallException(Exception inner) : Exception(inner.Message, inner);
