namespace OrleansMemory;

/// <summary>A storage write or clear used an ETag that no longer matches the stored record; nothing was changed.
/// Re-read the state and try again.</summary>
public sealed class InconsistentStateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InconsistentStateException(string message) : base(message) { }

    /// <summary>Creates the exception with the stored and the expected ETag.</summary>
    public InconsistentStateException(string message, string? storedEtag, string? currentEtag, Exception? inner = null)
        : base(message, inner)
    {
        StoredEtag = storedEtag;
        CurrentEtag = currentEtag;
    }

    /// <summary>The ETag of the record in storage, when known.</summary>
    public string? StoredEtag { get; }

    /// <summary>The ETag the writer expected.</summary>
    public string? CurrentEtag { get; }
}

/// <summary>The silo cannot take the call: it has not started, is stopping, or has stopped.</summary>
public sealed class SiloUnavailableException(string message) : Exception(message);

/// <summary>A call would wait for itself: a non-reentrant grain in the call chain is busy with the request that
/// started the chain. Derives from <see cref="TimeoutException"/> because without detection the call would time out.</summary>
public sealed class DeadlockException(string message, IReadOnlyList<string> callChain) : TimeoutException(message)
{
    /// <summary>The calls that form the cycle, outermost first, as <c>grainId.Method</c>.</summary>
    public IReadOnlyList<string> CallChain { get; } = callChain;
}

/// <summary>A grain could not be activated (constructor, state load or <c>OnActivateAsync</c> failed, or the
/// grain type or storage provider is unknown).</summary>
public sealed class GrainActivationException(string message, Exception? inner = null) : Exception(message, inner);
