namespace OrleansMemory.Abstractions;

/// <summary>An argument of a memory grain call is invalid (empty id, oversized text, bad role, out-of-range number,
/// unusable embedding). The HTTP layer maps it to 400 Bad Request; <see cref="ParamName"/> names the input.</summary>
[GenerateSerializer, Alias("orleansmemory.MemoryValidationException")]
public sealed class MemoryValidationException : ArgumentException
{
    [Id(0)]
    private readonly string? _paramName;

    [Id(1)]
    private readonly string _reason;

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, in words a caller can act on.</param>
    /// <param name="paramName">The offending input.</param>
    public MemoryValidationException(string message, string? paramName = null) : base(message)
    {
        _reason = message;
        _paramName = paramName;
    }

    /// <summary>The offending input, if known.</summary>
    public override string? ParamName => _paramName;

    /// <summary>What is wrong, without the parameter suffix <see cref="ArgumentException"/> would add.</summary>
    public override string Message => _reason ?? base.Message;
}
