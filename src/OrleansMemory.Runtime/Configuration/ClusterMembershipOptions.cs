namespace OrleansMemory.Configuration;

/// <summary>Membership and failure detection. With the defaults a killed silo is declared dead within about 4 s
/// (3 missed probes one second apart, then votes), always within 10 s (<see cref="IAmAliveTableTimeout"/>).</summary>
public sealed class ClusterMembershipOptions
{
    /// <summary>How often a silo writes its heartbeat (IAmAlive) into the table.</summary>
    public TimeSpan IAmAlivePeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a silo reads the whole table (its view of the cluster and of its own status).</summary>
    public TimeSpan TableRefreshPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a silo probes each of the silos it monitors.</summary>
    public TimeSpan ProbePeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a probe may take before it counts as missed.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many other silos each silo probes (its successors in address order).</summary>
    public int NumProbedSilos { get; set; } = 3;

    /// <summary>Consecutive missed probes after which a silo votes that the probed silo is dead.</summary>
    public int NumMissedProbesLimit { get; set; } = 3;

    /// <summary>Votes (within <see cref="DeathVoteExpiration"/>) that declare a silo Dead; fewer when fewer other
    /// silos are active.</summary>
    public int NumVotesForDeathDeclaration { get; set; } = 2;

    /// <summary>How long a suspicion vote counts.</summary>
    public TimeSpan DeathVoteExpiration { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Table-timeout fallback: a silo whose heartbeat in the table is older than this is declared Dead by any
    /// active silo, votes or not (covers clusters where too few silos remain to vote).</summary>
    public TimeSpan IAmAliveTableTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Split-brain guard: a silo that has not read the table successfully for this long stops serving grain
    /// calls (they fail with <see cref="SiloUnavailableException"/>) until it reads it again.</summary>
    public TimeSpan TableUnreachableTimeout { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>On graceful stop, how long a silo keeps forwarding calls after writing ShuttingDown, so that every
    /// silo and client has seen it leave. At least one <see cref="TableRefreshPeriod"/>.</summary>
    public TimeSpan ShutdownHandOverTime { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Points per silo on the placement ring; more spread grains more evenly.</summary>
    public int VirtualNodesPerSilo { get; set; } = 64;

    /// <summary>How often a call may be forwarded between silos whose views disagree before it fails.</summary>
    public int MaxForwardCount { get; set; } = 2;

    /// <summary>Rows of Dead silos older than this are deleted from the table.</summary>
    public TimeSpan DefunctSiloExpiration { get; set; } = TimeSpan.FromDays(1);
}
