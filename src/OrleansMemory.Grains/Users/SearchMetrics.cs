using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansMemory.Grains.Users;

/// <summary>The meter <c>OrleansMemory.Search</c>: how long a user grain's search takes inside the grain (validation,
/// filter, scan, re-rank), by size class of the user.</summary>
internal static class SearchMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "OrleansMemory.Search";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "orleansmemory.search.duration", unit: "s", description: "Time a user grain spends answering one memory search.");

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
