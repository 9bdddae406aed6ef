namespace OrleansMemory.Abstractions;

/// <summary>What happened to a memory.</summary>
[GenerateSerializer, Alias("orleansmemory.MemoryEventKind")]
public enum MemoryEventKind
{
    /// <summary>The memory was added.</summary>
    Added,

    /// <summary>The same memory was added again (a duplicate).</summary>
    DuplicateSeen,

    /// <summary>The memory was changed.</summary>
    Updated,

    /// <summary>The memory was archived.</summary>
    Archived,

    /// <summary>The memory was deleted.</summary>
    Deleted,

    /// <summary>A conflict involving the memory was detected.</summary>
    ConflictDetected,

    /// <summary>A conflict involving the memory was resolved (by a caller or automatically).</summary>
    ConflictResolved,

    /// <summary>A conflict involving the memory was escalated.</summary>
    ConflictEscalated,
}
