namespace OrleansMemory.Abstractions;

/// <summary>An argument of a memory grain call is invalid (empty id, oversized text, bad role, out-of-range number,
/// unusable embedding). The HTTP layer maps it to 400 Bad Request; <see cref="ArgumentException.ParamName"/> names the input.</summary>
public sealed class MemoryValidationException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, in words a caller can act on.</param>
    /// <param name="paramName">The offending input.</param>
    public MemoryValidationException(string message, string? paramName = null) : base(message, paramName) { }
}
