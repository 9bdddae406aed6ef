namespace OrleansMemory.Abstractions;

/// <summary>A memory, conflict or other item named by id does not exist in the grain. The HTTP layer maps it to 404.</summary>
/// <param name="message">What was not found.</param>
public sealed class MemoryNotFoundException(string message) : KeyNotFoundException(message);
