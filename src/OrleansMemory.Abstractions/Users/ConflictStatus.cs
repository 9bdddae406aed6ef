namespace OrleansMemory.Abstractions;

/// <summary>The state of a memory conflict.</summary>
[GenerateSerializer, Alias("orleansmemory.ConflictStatus")]
public enum ConflictStatus
{
    /// <summary>Waiting for a decision.</summary>
    Pending,

    /// <summary>Decided by a caller.</summary>
    Resolved,

    /// <summary>Pending too long, or escalated by a caller: needs a person.</summary>
    Escalated,

    /// <summary>Decided by the auto-resolution policy.</summary>
    AutoResolved,
}
