using System.Text;

namespace OrleansMemory.Abstractions;

/// <summary>One event in the history of a memory.</summary>
/// <param name="MemoryId">The memory.</param>
/// <param name="Kind">What happened.</param>
/// <param name="At">When.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="ConflictId">The conflict involved, if any.</param>
/// <param name="RelatedMemoryId">The other memory involved (the superseding one, the conflicting one), if any.</param>
[GenerateSerializer, Alias("orleansmemory.MemoryHistoryEvent")]
public sealed record MemoryHistoryEvent(
    string MemoryId,
    MemoryEventKind Kind,
    DateTimeOffset At,
    string? Reason = null,
    string? ConflictId = null,
    string? RelatedMemoryId = null)
{
    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("Kind = ").Append(Kind)
            .Append(", At = ").Append(At);
        return true;
    }
}
