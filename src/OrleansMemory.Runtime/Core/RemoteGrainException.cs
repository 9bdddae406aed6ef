namespace OrleansMemory;

/// <summary>A grain call on another silo failed with an exception that cannot be re-created here (its type is
/// unknown in this process or has no <c>(string message)</c> constructor).</summary>
public sealed class RemoteGrainException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="remoteTypeName">The full type name of the exception on the remote silo.</param>
    /// <param name="message">The remote exception's message.</param>
    public RemoteGrainException(string remoteTypeName, string message)
        : base($"{remoteTypeName}: {message}")
    {
        RemoteTypeName = remoteTypeName;
        RemoteMessage = message;
    }

    /// <summary>The full type name of the exception on the remote silo.</summary>
    public string RemoteTypeName { get; }

    /// <summary>The remote exception's message.</summary>
    public string RemoteMessage { get; }
}
