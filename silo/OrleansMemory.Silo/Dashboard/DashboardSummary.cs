using OrleansMemory.Silo.Api;

namespace OrleansMemory.Silo.Dashboard;

/// <summary>What the memory dashboard shows.</summary>
/// <param name="At">When the summary was taken.</param>
/// <param name="ClusterId">The cluster.</param>
/// <param name="Clustering">The clustering kind.</param>
/// <param name="SiloName">The configured name of the silo answering.</param>
/// <param name="OrleansDashboard">The path of Orleans' dashboard on this silo.</param>
/// <param name="Silos">The cluster's silos by configured name: live ones, and dead ones for <see cref="DashboardFeed.DeadSiloRetention"/>.</param>
/// <param name="LiveSilos">Silos active in the membership (joining, shutting down and dead ones are not counted).</param>
/// <param name="Users">Users with stored records (every provider).</param>
/// <param name="Conversations">Conversations with stored records.</param>
/// <param name="Agents">Agents with stored records.</param>
/// <param name="Memories">Active memories over the users scanned.</param>
/// <param name="PendingConflicts">Pending memory conflicts over the users scanned.</param>
/// <param name="UsersScanned">Users asked for their figures.</param>
/// <param name="UsersTruncated">Whether more users exist than were asked.</param>
/// <param name="TotalOperations">Memory grain operations this silo served since it started.</param>
/// <param name="FailedOperations">Of which failed.</param>
/// <param name="Series">Per-interval rates of this silo, oldest first.</param>
/// <param name="Storage">Storage statistics per provider.</param>
public sealed record DashboardSummary(
    DateTimeOffset At,
    string ClusterId,
    string Clustering,
    string SiloName,
    string OrleansDashboard,
    IReadOnlyList<DashboardSilo> Silos,
    int LiveSilos,
    long Users,
    long Conversations,
    long Agents,
    long Memories,
    int PendingConflicts,
    int UsersScanned,
    bool UsersTruncated,
    long TotalOperations,
    long FailedOperations,
    IReadOnlyList<DashboardPoint> Series,
    IReadOnlyList<ProviderStatistics> Storage);

/// <summary>One silo.</summary>
/// <param name="Name">Its configured name (<c>OrleansMemory:SiloName</c>; the pod name in Kubernetes).</param>
/// <param name="Address">Its silo endpoint.</param>
/// <param name="Status">active, joining, shutting_down, stopping or dead.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="UptimeSeconds">Seconds since start (0 when dead).</param>
/// <param name="LastSeen">Its last I-am-alive in the membership table.</param>
public sealed record DashboardSilo(string Name, string Address, string Status, DateTimeOffset StartedAt, long UptimeSeconds, DateTimeOffset LastSeen);

/// <summary>One chart point: rates over the interval ending at <paramref name="At"/>.</summary>
/// <param name="At">End of the interval.</param>
/// <param name="OperationsPerSecond">Memory grain operations per second.</param>
/// <param name="FailedPerSecond">Failed operations per second.</param>
/// <param name="MeanLatencyMs">Mean operation duration.</param>
/// <param name="P95LatencyMs">95th percentile operation duration (bucket upper bound).</param>
/// <param name="StorageOperationsPerSecond">Storage reads, writes and clears per second.</param>
/// <param name="StorageMeanLatencyMs">Mean storage operation duration.</param>
/// <param name="StorageBytesPerSecond">State bytes read and written per second.</param>
public sealed record DashboardPoint(
    DateTimeOffset At, double OperationsPerSecond, double FailedPerSecond, double MeanLatencyMs, double P95LatencyMs,
    double StorageOperationsPerSecond, double StorageMeanLatencyMs, double StorageBytesPerSecond);
