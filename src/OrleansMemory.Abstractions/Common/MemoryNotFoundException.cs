namespace OrleansMemory.Abstractions;

/// <summary>A memory, conflict or other item named by id does not exist. The HTTP layer maps it to 404 Not Found.</summary>
[GenerateSerializer, Alias("orleansmemory.MemoryNotFoundException")]
public sealed class MemoryNotFoundException : KeyNotFoundException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was not found.</param>
    public MemoryNotFoundException(string message) : base(message) { }
}
