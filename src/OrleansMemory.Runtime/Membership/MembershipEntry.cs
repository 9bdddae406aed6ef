namespace OrleansMemory.Membership;

/// <summary>One silo's row in the membership table.</summary>
/// <param name="Silo">The silo's address.</param>
/// <param name="Status">The silo's status.</param>
/// <param name="SiloName">A human-readable name (host name or test name).</param>
/// <param name="StartTime">When the silo started.</param>
/// <param name="IAmAliveTime">The silo's last heartbeat.</param>
/// <param name="SuspectTimes">Votes of other silos that suspect this one is dead: who voted and when.</param>
public sealed record MembershipEntry(
    SiloAddress Silo,
    SiloStatus Status,
    string SiloName,
    DateTimeOffset StartTime,
    DateTimeOffset IAmAliveTime,
    IReadOnlyList<SuspectVote> SuspectTimes)
{
    /// <summary>Votes newer than <paramref name="since"/>, one per voter.</summary>
    public IReadOnlyList<SuspectVote> FreshVotes(DateTimeOffset since) =>
        [.. SuspectTimes.Where(v => v.Time >= since).GroupBy(v => v.Voter).Select(g => g.MaxBy(v => v.Time)!)];
}

/// <summary>A suspicion vote: <paramref name="Voter"/> could not reach the silo at <paramref name="Time"/>.</summary>
/// <param name="Voter">The silo that voted.</param>
/// <param name="Time">When it voted.</param>
public sealed record SuspectVote(SiloAddress Voter, DateTimeOffset Time);

/// <summary>The version of the whole table. Every insert or status change must present the version it read and
/// increments it, so that two silos changing the table at once cannot overwrite each other.</summary>
/// <param name="Version">The version number; starts at 0.</param>
public sealed record TableVersion(long Version)
{
    /// <summary>The version after one more change.</summary>
    public TableVersion Next() => new(Version + 1);
}

/// <summary>A row as read, with the ETag an update of that row must present.</summary>
/// <param name="Entry">The row.</param>
/// <param name="ETag">The row's version token.</param>
public sealed record MembershipRow(MembershipEntry Entry, string ETag);

/// <summary>A consistent snapshot of the table: every row and the table version.</summary>
/// <param name="Rows">The rows, in no particular order.</param>
/// <param name="Version">The table version at the time of the read.</param>
public sealed record MembershipTableData(IReadOnlyList<MembershipRow> Rows, TableVersion Version)
{
    /// <summary>The row of <paramref name="silo"/>, or null.</summary>
    public MembershipRow? Find(SiloAddress silo) => Rows.FirstOrDefault(r => r.Entry.Silo == silo);
}
