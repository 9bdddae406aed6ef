namespace OrleansMemory.Abstractions;

/// <summary>A page of memories, oldest first.</summary>
/// <param name="Memories">The memories.</param>
/// <param name="TotalCount">How many memories match in all (archived ones only when asked for).</param>
[GenerateSerializer, Alias("orleansmemory.MemoryPage")]
public sealed record MemoryPage(IReadOnlyList<SemanticMemory> Memories, int TotalCount);
