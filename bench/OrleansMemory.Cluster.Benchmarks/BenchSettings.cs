namespace OrleansMemory.Cluster.Benchmarks;

/// <summary>Durations and counts of a run: full (about three minutes) or <c>--quick</c> (under a minute).</summary>
/// <param name="Quick">Whether this is the quick run.</param>
/// <param name="Duration">How long each timed case runs.</param>
/// <param name="Warmup">How long each warm-up runs.</param>
/// <param name="SyncBaselineCalls">Calls of the synchronous baseline.</param>
/// <param name="YieldBaselineCalls">Calls of the yielding baseline.</param>
/// <param name="GrainToGrainCalls">Sequential grain-to-grain calls.</param>
/// <param name="MemoriesPerUser">Memories each caller adds to its user in the memory cases.</param>
internal sealed record BenchSettings(bool Quick, TimeSpan Duration, TimeSpan Warmup, int SyncBaselineCalls,
    int YieldBaselineCalls, int GrainToGrainCalls, int MemoriesPerUser)
{
    /// <summary>The settings for the command line.</summary>
    public static BenchSettings From(string[] args) => args.Contains("--quick")
        ? new(true, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.5), 500_000, 100_000, 50_000, 100)
        : new(false, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(1), 2_000_000, 500_000, 200_000, 400);

    /// <summary>The flag that selects these settings in a child process.</summary>
    public string Flag => Quick ? "--quick" : "";
}
