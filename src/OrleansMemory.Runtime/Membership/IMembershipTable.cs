namespace OrleansMemory.Membership;

/// <summary>The shared table through which silos form a cluster. Implementations keep the rows of one cluster
/// (service id + cluster id) apart from every other cluster in the same database. All writes but
/// <see cref="UpdateIAmAliveAsync"/> are conditional on the table version (and the row ETag for updates): exactly one
/// of two concurrent writers presenting the same version succeeds.</summary>
public interface IMembershipTable
{
    /// <summary>Creates the schema and the version record when missing. Safe to call from many silos at once.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Reads every row of the cluster and the table version, as one consistent snapshot.</summary>
    Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Inserts a row if no row for its silo exists and the table version is still <paramref name="version"/>;
    /// then increments the table version.</summary>
    /// <returns>False (and nothing changed) when the silo has a row already or the version moved on.</returns>
    Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion version, CancellationToken cancellationToken);

    /// <summary>Replaces a row if its ETag is still <paramref name="etag"/> and the table version is still
    /// <paramref name="version"/>; then increments the table version.</summary>
    /// <returns>False (and nothing changed) when the row or the table changed since it was read.</returns>
    Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion version, CancellationToken cancellationToken);

    /// <summary>Sets only the heartbeat time of the silo's row, unconditionally, without changing ETag or version.</summary>
    Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset time, CancellationToken cancellationToken);

    /// <summary>Deletes rows of Dead silos whose heartbeat is older than <paramref name="before"/>.</summary>
    Task CleanupDefunctSiloEntriesAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Deletes the whole cluster's rows and version (for tests and tear-down).</summary>
    Task DeleteClusterAsync(CancellationToken cancellationToken);
}
