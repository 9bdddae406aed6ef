using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains;

/// <summary>The silo's default retention limits for every user (see <see cref="RetentionSettings"/>); null turns a
/// limit off. Applied on activation, when a user changes its own limits, and with the escalation check
/// (<see cref="MemoryGrainOptions.EscalationCheckPeriod"/>).</summary>
public sealed class MemoryRetentionOptions
{
    /// <summary>Memory history events kept per user (the newest): 200,000, about two per memory at 100,000 memories.</summary>
    public int? MaxHistoryEvents { get; set; } = 200_000;

    /// <summary>History events older than this are dropped: 365 days.</summary>
    public TimeSpan? MaxHistoryAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Resolved conflicts kept per user (the newest): 10,000.</summary>
    public int? MaxResolvedConflicts { get; set; } = 10_000;

    /// <summary>Resolved conflicts resolved longer ago than this are dropped: 365 days.</summary>
    public TimeSpan? MaxResolvedConflictAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Short-term messages older than this are dropped: off (the short-term capacity bounds their count).</summary>
    public TimeSpan? MaxShortTermAge { get; set; }

    /// <summary>A user's own settings over these defaults.</summary>
    public RetentionSettings Over(RetentionSettings? own) => new(
        own?.MaxHistoryEvents ?? MaxHistoryEvents,
        own?.MaxHistoryAge ?? MaxHistoryAge,
        own?.MaxResolvedConflicts ?? MaxResolvedConflicts,
        own?.MaxResolvedConflictAge ?? MaxResolvedConflictAge,
        own?.MaxShortTermAge ?? MaxShortTermAge);

    /// <summary>What is wrong with a set of limits: counts must be positive, ages positive.</summary>
    internal static IEnumerable<(string Name, string Problem)> Problems(RetentionSettings settings)
    {
        foreach (var (name, count) in new[] { (nameof(settings.MaxHistoryEvents), settings.MaxHistoryEvents), (nameof(settings.MaxResolvedConflicts), settings.MaxResolvedConflicts) })
        {
            if (count is <= 0)
            {
                yield return (name, $"{name} must be positive (is {count}).");
            }
        }

        foreach (var (name, age) in new[]
        {
            (nameof(settings.MaxHistoryAge), settings.MaxHistoryAge), (nameof(settings.MaxResolvedConflictAge), settings.MaxResolvedConflictAge),
            (nameof(settings.MaxShortTermAge), settings.MaxShortTermAge),
        })
        {
            if (age is { } a && a <= TimeSpan.Zero)
            {
                yield return (name, $"{name} must be positive (is {a}).");
            }
        }
    }
}
