namespace OrleansMemory.Grains;

/// <summary>A formation step failed in a way its message may describe in the conversation's status (it carries no user
/// text): an extractor's unreadable answer, an unknown extractor, a missing chat client. The step is retried.</summary>
public sealed class MemoryFormationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MemoryFormationException()
    {
    }

    /// <summary>Creates the exception with a message that holds no user text.</summary>
    public MemoryFormationException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message that holds no user text and its cause.</summary>
    public MemoryFormationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
