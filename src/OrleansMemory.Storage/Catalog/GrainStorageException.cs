namespace OrleansMemory.Storage;

/// <summary>A storage provider of ours failed for a reason other than an ETag conflict; the message names the
/// provider, grain and state.</summary>
public sealed class GrainStorageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GrainStorageException(string message, Exception? inner = null) : base(message, inner)
    {
    }

    /// <summary>Creates the exception with the standard message for a failed operation.</summary>
    public static GrainStorageException For(string provider, string operation, GrainId grainId, string stateName, Exception inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return new($"Storage provider '{provider}' failed to {operation} state '{stateName}' of grain {grainId}: {inner.Message}", inner);
    }
}
