namespace OrleansMemory.Abstractions;

/// <summary>A memory found by a search, with its cosine similarity to the query.</summary>
/// <param name="Memory">The memory.</param>
/// <param name="Score">Cosine similarity, -1..1.</param>
/// <remarks>Immutable (<see cref="ImmutableAttribute"/>), as <see cref="SemanticMemory"/> is.</remarks>
[GenerateSerializer, Immutable, Alias("orleansmemory.MemorySearchResult")]
public sealed record MemorySearchResult(SemanticMemory Memory, double Score);
