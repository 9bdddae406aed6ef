namespace OrleansMemory.Abstractions;

/// <summary>An idempotency key was sent again with a different request than the one it first guarded: a retry must
/// repeat its request exactly, and a new request needs a new key. Nothing was stored. The HTTP layer maps it to
/// 422 Unprocessable Content.</summary>
[GenerateSerializer, Alias("orleansmemory.IdempotencyKeyReusedException")]
public sealed class IdempotencyKeyReusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IdempotencyKeyReusedException()
        : base("This idempotency key was first used with a different request; a retry must send the same request, a new request a new key. Nothing was stored.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public IdempotencyKeyReusedException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public IdempotencyKeyReusedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
