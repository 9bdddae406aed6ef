using System.Globalization;
using StackExchange.Redis;
using OrleansMemory.Configuration;

namespace OrleansMemory.Membership.Redis;

/// <summary>The membership table in one Redis hash per cluster. Fields: <c>version</c>; per silo <c>row:{address}</c>
/// (status, name, start time, votes), <c>etag:{address}</c> and <c>alive:{address}</c> (the heartbeat, kept apart so
/// that a heartbeat never races a status change). Conditional writes are Lua scripts, atomic on the server.</summary>
public sealed class RedisMembershipTable : IMembershipTable, IDisposable
{
    private const string InsertScript = """
        local v = redis.call('HGET', KEYS[1], 'version') or '0'
        if v ~= ARGV[1] then return 0 end
        if redis.call('HEXISTS', KEYS[1], 'row:' .. ARGV[2]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'row:' .. ARGV[2], ARGV[3], 'etag:' .. ARGV[2], '1', 'alive:' .. ARGV[2], ARGV[4], 'version', tostring(tonumber(v) + 1))
        return 1
        """;

    private const string UpdateScript = """
        local v = redis.call('HGET', KEYS[1], 'version') or '0'
        if v ~= ARGV[1] then return 0 end
        local e = redis.call('HGET', KEYS[1], 'etag:' .. ARGV[2])
        if e ~= ARGV[5] then return 0 end
        redis.call('HSET', KEYS[1], 'row:' .. ARGV[2], ARGV[3], 'etag:' .. ARGV[2], tostring(tonumber(e) + 1), 'alive:' .. ARGV[2], ARGV[4], 'version', tostring(tonumber(v) + 1))
        return 1
        """;

    private const string AliveScript = """
        if redis.call('HEXISTS', KEYS[1], 'row:' .. ARGV[1]) == 1 then redis.call('HSET', KEYS[1], 'alive:' .. ARGV[1], ARGV[2]) end
        return 1
        """;

    private readonly RedisClusteringOptions _options;
    private readonly RedisKey _key;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private ConnectionMultiplexer? _connection;

    /// <summary>Creates the table for one cluster.</summary>
    public RedisMembershipTable(RedisClusteringOptions options, ClusterOptions cluster)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cluster);
        _options = options;
        _key = $"{options.KeyPrefix}{cluster.ServiceId}/{cluster.ClusterId}";
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync().ConfigureAwait(false);
        await db.HashSetAsync(_key, "version", "0", When.NotExists).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync().ConfigureAwait(false);
        var fields = (await db.HashGetAllAsync(_key).ConfigureAwait(false)).ToDictionary(f => (string)f.Name!, f => (string)f.Value!, StringComparer.Ordinal);
        var version = fields.TryGetValue("version", out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : 0;
        var rows = new List<MembershipRow>();
        foreach (var (name, value) in fields)
        {
            if (!name.StartsWith("row:", StringComparison.Ordinal))
            {
                continue;
            }

            var address = name["row:".Length..];
            var alive = fields.TryGetValue("alive:" + address, out var a) ? long.Parse(a, CultureInfo.InvariantCulture) : 0;
            rows.Add(new MembershipRow(Decode(SiloAddress.Parse(address), value, alive), fields.GetValueOrDefault("etag:" + address, "0")));
        }

        return new MembershipTableData(rows, new TableVersion(version));
    }

    /// <inheritdoc />
    public async Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(version);
        var db = await DatabaseAsync().ConfigureAwait(false);
        var result = await db.ScriptEvaluateAsync(InsertScript, [_key],
            [version.Version.ToString(CultureInfo.InvariantCulture), entry.Silo.ToString(), Encode(entry), Stored(entry.IAmAliveTime)]).ConfigureAwait(false);
        return (int)result == 1;
    }

    /// <inheritdoc />
    public async Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(version);
        var db = await DatabaseAsync().ConfigureAwait(false);
        var result = await db.ScriptEvaluateAsync(UpdateScript, [_key],
            [version.Version.ToString(CultureInfo.InvariantCulture), entry.Silo.ToString(), Encode(entry), Stored(entry.IAmAliveTime), etag]).ConfigureAwait(false);
        return (int)result == 1;
    }

    /// <inheritdoc />
    public async Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var db = await DatabaseAsync().ConfigureAwait(false);
        await db.ScriptEvaluateAsync(AliveScript, [_key], [silo.ToString(), Stored(time)]).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task CleanupDefunctSiloEntriesAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var data = await ReadAllAsync(cancellationToken).ConfigureAwait(false);
        var db = await DatabaseAsync().ConfigureAwait(false);
        foreach (var row in data.Rows.Where(r => r.Entry.Status == SiloStatus.Dead && r.Entry.IAmAliveTime < before))
        {
            var address = row.Entry.Silo.ToString();
            await db.HashDeleteAsync(_key, ["row:" + address, "etag:" + address, "alive:" + address]).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task DeleteClusterAsync(CancellationToken cancellationToken)
    {
        var db = await DatabaseAsync().ConfigureAwait(false);
        await db.KeyDeleteAsync(_key).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _connection?.Dispose();
        _connectLock.Dispose();
    }

    private static string Stored(DateTimeOffset time) => SuspectVoteFormat.ToStored(time).ToString(CultureInfo.InvariantCulture);

    private static string Encode(MembershipEntry entry) => string.Join('\t',
        ((int)entry.Status).ToString(CultureInfo.InvariantCulture),
        entry.SiloName.Replace('\t', ' '),
        Stored(entry.StartTime),
        SuspectVoteFormat.Format(entry.SuspectTimes));

    private static MembershipEntry Decode(SiloAddress silo, string value, long alive)
    {
        var parts = value.Split('\t');
        return new MembershipEntry(
            silo,
            (SiloStatus)int.Parse(parts[0], CultureInfo.InvariantCulture),
            parts[1],
            SuspectVoteFormat.FromStored(long.Parse(parts[2], CultureInfo.InvariantCulture)),
            SuspectVoteFormat.FromStored(alive),
            SuspectVoteFormat.Parse(parts.Length > 3 ? parts[3] : null));
    }

    private async Task<IDatabase> DatabaseAsync()
    {
        if (_connection is { } existing)
        {
            return existing.GetDatabase(_options.Database);
        }

        await _connectLock.WaitAsync().ConfigureAwait(false);
        try
        {
            _connection ??= await ConnectionMultiplexer.ConnectAsync(_options.ConfigurationString).ConfigureAwait(false);
            return _connection.GetDatabase(_options.Database);
        }
        finally
        {
            _connectLock.Release();
        }
    }
}
