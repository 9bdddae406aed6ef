namespace OrleansMemory.Cluster.Benchmarks;

/// <summary>One measured case: how many operations in how long, and the per-operation latency.</summary>
/// <param name="Name">What was measured.</param>
/// <param name="Callers">Concurrent callers.</param>
/// <param name="Operations">Operations completed.</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="P50Us">Median latency, microseconds.</param>
/// <param name="P99Us">99th percentile latency, microseconds.</param>
/// <param name="MeanUs">Mean latency, microseconds.</param>
internal sealed record Figure(string Name, int Callers, long Operations, TimeSpan Elapsed, double P50Us, double P99Us, double MeanUs)
{
    /// <summary>Operations per second.</summary>
    public double PerSecond => Operations / Elapsed.TotalSeconds;

    /// <summary>Fewest operations one caller completed.</summary>
    public long MinPerCaller { get; init; } = Operations;

    /// <summary>Most operations one caller completed.</summary>
    public long MaxPerCaller { get; init; } = Operations;
}
