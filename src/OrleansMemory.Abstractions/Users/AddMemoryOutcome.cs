namespace OrleansMemory.Abstractions;

/// <summary>What adding a memory did.</summary>
[GenerateSerializer, Alias("orleansmemory.AddMemoryOutcome")]
public enum AddMemoryOutcome
{
    /// <summary>A new memory was stored; it conflicts with nothing.</summary>
    Added,

    /// <summary>No new memory: an existing one is a duplicate; its mention count and last-seen time grew.</summary>
    Duplicate,

    /// <summary>A new memory was stored and conflicts with existing ones; the conflicts are pending.</summary>
    AddedWithConflicts,

    /// <summary>A new memory was stored and superseded existing ones (conflicts auto-resolved).</summary>
    Superseded,
}
