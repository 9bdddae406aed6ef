using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansMemory.Grains.Users;

/// <summary>The meter <c>OrleansMemory.Search</c>: how long a user grain's search takes inside the grain (validation,
/// filter, scan, re-rank), by size class of the user, and how many of the user's other calls waited for its searches
/// (<see cref="SearchScheduler"/>).</summary>
internal static class SearchMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "OrleansMemory.Search";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "orleansmemory.search.duration", unit: "s", description: "Time a user grain spends answering one memory search.");

    private static readonly Counter<long> Waits = Meter.CreateCounter<long>(
        "orleansmemory.search.waited_calls", description: "Calls to a user grain that waited for its searches in flight when they arrived.");

    /// <summary>Counts a call that waited for searches.</summary>
    public static void RecordWait() => Waits.Add(1);

    public static void Record(long startTimestamp, int memories, bool filtered)
    {
        if (!Duration.Enabled)
        {
            return;
        }

        var size = memories switch
        {
            < 1_000 => "<1k",
            < 10_000 => "1k-10k",
            < 100_000 => "10k-100k",
            _ => ">=100k",
        };
        Duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds,
            new KeyValuePair<string, object?>("memories", size), new KeyValuePair<string, object?>("filtered", filtered));
    }
}
