namespace OrleansMemory.Embeddings;

/// <summary>The embedding model or endpoint failed (an OpenAI-compatible server down or refusing, the local model unable
/// to run); the silo answers 503. The inner exception is the provider's own.</summary>
public sealed class EmbeddingServiceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EmbeddingServiceException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public EmbeddingServiceException() : this("The embedding service failed.", null)
    {
    }

    /// <summary>Creates the exception.</summary>
    public EmbeddingServiceException(string message) : this(message, null)
    {
    }
}
