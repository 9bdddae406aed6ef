namespace OrleansMemory.Abstractions;

/// <summary>How a conflict between memory A (the older) and memory B (the newer) is resolved.</summary>
[GenerateSerializer, Alias("orleansmemory.ConflictResolutionKind")]
public enum ConflictResolutionKind
{
    /// <summary>Keep A; archive B as superseded by A.</summary>
    KeepA,

    /// <summary>Keep B; archive A as superseded by B.</summary>
    KeepB,

    /// <summary>Keep both; they do not really contradict.</summary>
    KeepBoth,

    /// <summary>Replace both by a new memory with the merged text; archive both as superseded by it.</summary>
    Merge,
}
