namespace OrleansMemory.Abstractions;

/// <summary>How much of a user's bookkeeping is kept. Every limit is optional: null means the silo's default
/// (<c>MemoryGrainOptions.Retention</c>); a limit by count and one by age may both be set, and the stricter one wins.
/// Dropped items go by whole pages of their log (oldest first), so applying a limit never rewrites a log; memories
/// themselves are never dropped by retention.</summary>
/// <param name="MaxHistoryEvents">Memory history events kept (the newest), across all memories.</param>
/// <param name="MaxHistoryAge">History events older than this are dropped.</param>
/// <param name="MaxResolvedConflicts">Resolved conflicts kept (the newest); pending and escalated conflicts are always kept,
/// and a resolved conflict older than an open one is kept until that one closes.</param>
/// <param name="MaxResolvedConflictAge">Resolved conflicts resolved longer ago than this are dropped.</param>
/// <param name="MaxShortTermAge">Short-term messages older than this are dropped (their count is the short-term capacity).</param>
[GenerateSerializer, Alias("orleansmemory.RetentionSettings")]
public sealed record RetentionSettings(
    int? MaxHistoryEvents = null,
    TimeSpan? MaxHistoryAge = null,
    int? MaxResolvedConflicts = null,
    TimeSpan? MaxResolvedConflictAge = null,
    TimeSpan? MaxShortTermAge = null);
