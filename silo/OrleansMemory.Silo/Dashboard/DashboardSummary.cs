using OrleansMemory.Silo.Api;

namespace OrleansMemory.Silo.Dashboard;

/// <summary>What the dashboard shows.</summary>
/// <param name="At">When the summary was taken.</param>
/// <param name="ClusterId">The cluster.</param>
/// <param name="Clustering">The clustering kind.</param>
/// <param name="Silos">The silos and their status.</param>
/// <param name="Activations">Live activations by grain type (this silo).</param>
/// <param name="TotalActivations">Their sum.</param>
/// <param name="TotalCalls">Grain calls completed since start.</param>
/// <param name="FailedCalls">Grain calls failed since start.</param>
/// <param name="Series">Calls per second and latency, one point per sample interval, oldest first.</param>
/// <param name="Storage">Storage statistics per provider.</param>
/// <param name="PendingConflicts">Pending memory conflicts over the users scanned.</param>
/// <param name="UsersScanned">Users asked.</param>
/// <param name="UsersTruncated">Whether more users exist than were asked.</param>
public sealed record DashboardSummary(
    DateTimeOffset At,
    string ClusterId,
    string Clustering,
    IReadOnlyList<DashboardSilo> Silos,
    IReadOnlyDictionary<string, long> Activations,
    long TotalActivations,
    long TotalCalls,
    long FailedCalls,
    IReadOnlyList<DashboardPoint> Series,
    IReadOnlyList<ProviderStatistics> Storage,
    int PendingConflicts,
    int UsersScanned,
    bool UsersTruncated);

/// <summary>One silo.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Address">Its HTTP address.</param>
/// <param name="Status">active, joining, shutting_down or dead.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="UptimeSeconds">Seconds since start.</param>
public sealed record DashboardSilo(string Name, string Address, string Status, DateTimeOffset StartedAt, long UptimeSeconds);

/// <summary>One chart point.</summary>
/// <param name="At">End of the interval.</param>
/// <param name="CallsPerSecond">Grain calls per second.</param>
/// <param name="FailedPerSecond">Failed grain calls per second.</param>
/// <param name="MeanLatencyMs">Mean call duration.</param>
/// <param name="P95LatencyMs">95th percentile call duration (bucket upper bound).</param>
public sealed record DashboardPoint(DateTimeOffset At, double CallsPerSecond, double FailedPerSecond, double MeanLatencyMs, double P95LatencyMs);
