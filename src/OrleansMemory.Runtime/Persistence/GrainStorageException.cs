namespace OrleansMemory.Storage;

/// <summary>A storage provider failed for a reason other than an ETag conflict; the message names the provider,
/// grain and state.</summary>
public sealed class GrainStorageException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Creates the exception with the standard message for a failed operation.</summary>
    public static GrainStorageException For(string provider, string operation, GrainId grainId, string stateName, Exception inner) =>
        new($"Storage provider '{provider}' failed to {operation} state '{stateName}' of grain {grainId}: {inner.Message}", inner);
}
