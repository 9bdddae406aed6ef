using OrleansMemory.Configuration;
using OrleansMemory.Membership;

namespace OrleansMemory.Cluster.Tests.Membership;

/// <summary>The contract every membership table passes: one subclass per backend. Each test gets its own cluster id.</summary>
public abstract class MembershipTableConformanceTests : IAsyncLifetime
{
    private readonly List<IMembershipTable> _tables = [];

    protected ClusterOptions Cluster { get; } = new() { ServiceId = "conformance-" + TestServers.RunId, ClusterId = Guid.NewGuid().ToString("N")[..10] };

    protected IMembershipTable Table { get; private set; } = null!;

    /// <summary>Opens a table of the backend for <paramref name="cluster"/>.</summary>
    protected abstract IMembershipTable Open(ClusterOptions cluster);

    public async Task InitializeAsync() => Table = await OpenAsync(Cluster);

    public async Task DisposeAsync()
    {
        foreach (var table in _tables)
        {
            await table.DeleteClusterAsync(CancellationToken.None);
            (table as IDisposable)?.Dispose();
        }
    }

    [ServerFact]
    public async Task EmptyTableHasVersionZeroAndNoRows()
    {
        var data = await Table.ReadAllAsync(default);
        Assert.Empty(data.Rows);
        Assert.Equal(0, data.Version.Version);
    }

    [ServerFact]
    public async Task InsertedRowReadsBackWithEveryField()
    {
        var entry = Entry(1, SiloStatus.Joining) with { SuspectTimes = [new SuspectVote(Address(2), Time(5))] };
        Assert.True(await Table.InsertRowAsync(entry, new TableVersion(0), default));
        var data = await Table.ReadAllAsync(default);
        Assert.Equal(1, data.Version.Version);
        var row = Assert.Single(data.Rows);
        Assert.Equal(entry.Silo, row.Entry.Silo);
        Assert.Equal(entry.Status, row.Entry.Status);
        Assert.Equal(entry.SiloName, row.Entry.SiloName);
        Assert.Equal(entry.StartTime, row.Entry.StartTime);
        Assert.Equal(entry.IAmAliveTime, row.Entry.IAmAliveTime);
        Assert.Equal(entry.SuspectTimes, row.Entry.SuspectTimes);
        Assert.False(string.IsNullOrEmpty(row.ETag));
    }

    [ServerFact]
    public async Task InsertWithStaleVersionOrDuplicateSiloChangesNothing()
    {
        Assert.True(await Table.InsertRowAsync(Entry(1), new TableVersion(0), default));
        Assert.False(await Table.InsertRowAsync(Entry(2), new TableVersion(0), default));
        Assert.False(await Table.InsertRowAsync(Entry(1), new TableVersion(1), default));
        var data = await Table.ReadAllAsync(default);
        Assert.Single(data.Rows);
        Assert.Equal(1, data.Version.Version);
    }

    [ServerFact]
    public async Task UpdateNeedsCurrentEtagAndVersion()
    {
        Assert.True(await Table.InsertRowAsync(Entry(1), new TableVersion(0), default));
        var read = await Table.ReadAllAsync(default);
        var row = read.Rows[0];
        Assert.True(await Table.UpdateRowAsync(row.Entry with { Status = SiloStatus.Active }, row.ETag, read.Version, default));
        Assert.False(await Table.UpdateRowAsync(row.Entry with { Status = SiloStatus.Dead }, row.ETag, read.Version.Next(), default));
        Assert.False(await Table.UpdateRowAsync(row.Entry with { Status = SiloStatus.Dead }, row.ETag, read.Version, default));
        var after = await Table.ReadAllAsync(default);
        Assert.Equal(SiloStatus.Active, after.Rows[0].Entry.Status);
        Assert.NotEqual(row.ETag, after.Rows[0].ETag);
        Assert.Equal(2, after.Version.Version);
    }

    [ServerFact]
    public async Task ConcurrentWritersWithTheSameVersionExactlyOneWins()
    {
        Assert.True(await Table.InsertRowAsync(Entry(1), new TableVersion(0), default));
        var read = await Table.ReadAllAsync(default);
        var row = read.Rows[0];
        var others = new List<IMembershipTable>();
        for (var i = 0; i < 8; i++)
        {
            others.Add(await OpenAsync(Cluster));
        }

        var results = await Task.WhenAll(others.Select((t, i) => Task.Run(() =>
            t.UpdateRowAsync(row.Entry with { SuspectTimes = [new SuspectVote(Address(10 + i), Time(i))] }, row.ETag, read.Version, default))));
        Assert.Equal(1, results.Count(r => r));
        var after = await Table.ReadAllAsync(default);
        Assert.Equal(2, after.Version.Version);
        Assert.Single(after.Rows[0].Entry.SuspectTimes);
    }

    [ServerFact]
    public async Task IAmAliveChangesNeitherEtagNorVersion()
    {
        Assert.True(await Table.InsertRowAsync(Entry(1), new TableVersion(0), default));
        var before = await Table.ReadAllAsync(default);
        await Table.UpdateIAmAliveAsync(Address(1), Time(99), default);
        var after = await Table.ReadAllAsync(default);
        Assert.Equal(Time(99), after.Rows[0].Entry.IAmAliveTime);
        Assert.Equal(before.Rows[0].ETag, after.Rows[0].ETag);
        Assert.Equal(before.Version, after.Version);
        Assert.True(await Table.UpdateRowAsync(after.Rows[0].Entry with { Status = SiloStatus.Active }, after.Rows[0].ETag, after.Version, default));
    }

    [ServerFact]
    public async Task ClustersWithDifferentIdsAreApart()
    {
        var other = await OpenAsync(new ClusterOptions { ServiceId = Cluster.ServiceId, ClusterId = Cluster.ClusterId + "-other" });
        var otherService = await OpenAsync(new ClusterOptions { ServiceId = Cluster.ServiceId + "-other", ClusterId = Cluster.ClusterId });
        Assert.True(await Table.InsertRowAsync(Entry(1), new TableVersion(0), default));
        Assert.True(await other.InsertRowAsync(Entry(2), new TableVersion(0), default));
        Assert.Equal(Address(1), Assert.Single((await Table.ReadAllAsync(default)).Rows).Entry.Silo);
        Assert.Equal(Address(2), Assert.Single((await other.ReadAllAsync(default)).Rows).Entry.Silo);
        Assert.Empty((await otherService.ReadAllAsync(default)).Rows);
    }

    [ServerFact]
    public async Task CleanupRemovesOnlyOldDeadRows()
    {
        Assert.True(await Table.InsertRowAsync(Entry(1, SiloStatus.Dead) with { IAmAliveTime = Time(1) }, new TableVersion(0), default));
        Assert.True(await Table.InsertRowAsync(Entry(2, SiloStatus.Active) with { IAmAliveTime = Time(1) }, new TableVersion(1), default));
        Assert.True(await Table.InsertRowAsync(Entry(3, SiloStatus.Dead) with { IAmAliveTime = Time(100) }, new TableVersion(2), default));
        await Table.CleanupDefunctSiloEntriesAsync(Time(50), default);
        var silos = (await Table.ReadAllAsync(default)).Rows.Select(r => r.Entry.Silo.Port).Order();
        Assert.Equal([2, 3], silos);
    }

    [ServerFact]
    public async Task InitializeIsIdempotent()
    {
        Assert.True(await Table.InsertRowAsync(Entry(1), new TableVersion(0), default));
        await Table.InitializeAsync(default);
        await (await OpenAsync(Cluster)).InitializeAsync(default);
        Assert.Equal(1, (await Table.ReadAllAsync(default)).Version.Version);
    }

    private async Task<IMembershipTable> OpenAsync(ClusterOptions cluster)
    {
        var table = Open(cluster);
        _tables.Add(table);
        await table.InitializeAsync(default);
        return table;
    }

    protected static SiloAddress Address(int port) => new("127.0.0.1", port, 638_000_000_000_000_000 + port);

    protected static DateTimeOffset Time(int seconds) => DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + seconds);

    protected static MembershipEntry Entry(int port, SiloStatus status = SiloStatus.Joining) =>
        new(Address(port), status, $"silo-{port}", Time(0), Time(1), []);
}
