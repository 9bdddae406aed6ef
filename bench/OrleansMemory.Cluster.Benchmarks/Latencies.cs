using System.Diagnostics;

namespace OrleansMemory.Cluster.Benchmarks;

/// <summary>Percentiles of latencies kept as stopwatch ticks.</summary>
internal static class Latencies
{
    /// <summary>The <paramref name="percentile"/> of already sorted ticks (nearest rank).</summary>
    public static long At(long[] sorted, double percentile)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        var index = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }

    /// <summary>Stopwatch ticks as microseconds.</summary>
    public static double Microseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
}
