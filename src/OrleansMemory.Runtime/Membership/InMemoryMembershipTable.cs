using System.Globalization;

namespace OrleansMemory.Membership;

/// <summary>A membership table in this process's memory: for a single machine (several silos in one process)
/// and tests. Silos share it by sharing the instance.</summary>
public sealed class InMemoryMembershipTable : IMembershipTable
{
    private readonly object _lock = new();
    private readonly Dictionary<SiloAddress, (MembershipEntry Entry, long ETag)> _rows = [];
    private long _version;

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(new MembershipTableData(
                [.. _rows.Values.Select(r => new MembershipRow(r.Entry, r.ETag.ToString(CultureInfo.InvariantCulture)))],
                new TableVersion(_version)));
        }
    }

    /// <inheritdoc />
    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(version);
        lock (_lock)
        {
            if (version.Version != _version || _rows.ContainsKey(entry.Silo))
            {
                return Task.FromResult(false);
            }

            _rows[entry.Silo] = (entry, 1);
            _version++;
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(version);
        lock (_lock)
        {
            if (version.Version != _version || !_rows.TryGetValue(entry.Silo, out var row)
                || row.ETag.ToString(CultureInfo.InvariantCulture) != etag)
            {
                return Task.FromResult(false);
            }

            _rows[entry.Silo] = (entry, row.ETag + 1);
            _version++;
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset time, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_rows.TryGetValue(silo, out var row))
            {
                _rows[silo] = (row.Entry with { IAmAliveTime = time }, row.ETag);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task CleanupDefunctSiloEntriesAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var silo in _rows.Where(r => r.Value.Entry.Status == SiloStatus.Dead && r.Value.Entry.IAmAliveTime < before).Select(r => r.Key).ToList())
            {
                _rows.Remove(silo);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteClusterAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _rows.Clear();
            _version = 0;
        }

        return Task.CompletedTask;
    }
}
