namespace OrleansMemory.Abstractions;

/// <summary>The storage behind a memory grain failed (a database that is down, a full disk, a timeout): not the
/// caller's mistake and not a bug. The HTTP layer maps it to 503 with <c>Retry-After</c>; for a write the outcome is
/// unknown (part of it may have been stored), so retry it with the same message id or idempotency key. The message
/// names the operation and the kind of failure, never a key or a path.</summary>
[GenerateSerializer, Alias("orleansmemory.MemoryStorageException")]
public sealed class MemoryStorageException : Exception
{
    [Id(0)]
    private readonly string _reason;

    /// <summary>Creates the exception.</summary>
    /// <param name="operation">What failed: read, write, clear or erase.</param>
    /// <param name="failure">The kind of failure (the provider's exception type).</param>
    public MemoryStorageException(string operation, string failure) : base($"The storage failed to {operation} ({failure}).")
    {
        _reason = base.Message;
        Operation = operation;
    }

    /// <summary>What failed: read, write, clear or erase.</summary>
    [Id(1)]
    public string Operation { get; }

    /// <inheritdoc />
    public override string Message => _reason ?? base.Message;
}
