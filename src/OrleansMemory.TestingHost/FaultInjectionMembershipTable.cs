using OrleansMemory.Membership;

namespace OrleansMemory.TestingHost;

/// <summary>Passes calls to a real membership table unless the silo has been cut off from it, in which case every
/// call fails as if the network to the database were down.</summary>
internal sealed class FaultInjectionMembershipTable(IMembershipTable inner) : IMembershipTable
{
    public volatile bool CutOff;

    public Task InitializeAsync(CancellationToken cancellationToken) => Guard() ?? inner.InitializeAsync(cancellationToken);

    public Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken) =>
        CutOff ? Task.FromException<MembershipTableData>(Unreachable()) : inner.ReadAllAsync(cancellationToken);

    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion version, CancellationToken cancellationToken) =>
        CutOff ? Task.FromException<bool>(Unreachable()) : inner.InsertRowAsync(entry, version, cancellationToken);

    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion version, CancellationToken cancellationToken) =>
        CutOff ? Task.FromException<bool>(Unreachable()) : inner.UpdateRowAsync(entry, etag, version, cancellationToken);

    public Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset time, CancellationToken cancellationToken) =>
        Guard() ?? inner.UpdateIAmAliveAsync(silo, time, cancellationToken);

    public Task CleanupDefunctSiloEntriesAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        Guard() ?? inner.CleanupDefunctSiloEntriesAsync(before, cancellationToken);

    public Task DeleteClusterAsync(CancellationToken cancellationToken) => Guard() ?? inner.DeleteClusterAsync(cancellationToken);

    private Task? Guard() => CutOff ? Task.FromException(Unreachable()) : null;

    private static IOException Unreachable() => new("The membership table is unreachable (cut off by the test).");
}
