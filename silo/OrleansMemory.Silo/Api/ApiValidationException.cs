namespace OrleansMemory.Silo.Api;

/// <summary>A request input is invalid; answered with 400 and a problem details body naming the input.</summary>
/// <param name="parameter">The offending input (query parameter, route value or JSON property, snake_case).</param>
/// <param name="message">What is wrong and how to fix it.</param>
public sealed class ApiValidationException(string parameter, string message) : Exception(message)
{
    /// <summary>The offending input.</summary>
    public string Parameter { get; } = parameter;
}
