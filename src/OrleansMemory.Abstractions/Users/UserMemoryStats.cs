namespace OrleansMemory.Abstractions;

/// <summary>Figures of one user.</summary>
/// <param name="MemoryCount">Live (not archived, not deleted) memories.</param>
/// <param name="ArchivedCount">Archived memories.</param>
/// <param name="EmbeddingDimension">The user's embedding dimension; 0 until the first memory.</param>
/// <param name="PendingConflicts">Pending conflicts.</param>
/// <param name="EscalatedConflicts">Escalated conflicts.</param>
/// <param name="ResolvedConflicts">Resolved or auto-resolved conflicts.</param>
/// <param name="ShortTermCount">Messages in short-term memory.</param>
/// <param name="ShortTermCapacity">Short-term memory capacity.</param>
[GenerateSerializer, Alias("orleansmemory.UserMemoryStats")]
public sealed record UserMemoryStats(
    int MemoryCount,
    int ArchivedCount,
    int EmbeddingDimension,
    int PendingConflicts,
    int EscalatedConflicts,
    int ResolvedConflicts,
    int ShortTermCount,
    int ShortTermCapacity);
