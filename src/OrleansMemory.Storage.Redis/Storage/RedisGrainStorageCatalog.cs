using StackExchange.Redis;

namespace OrleansMemory.Storage;

/// <summary>The catalog over Orleans' Redis layout, listed through <see cref="IndexedRedisGrainStorage"/>'s index:
/// grains of a type are paged in lexicographic order with ZRANGEBYLEX (keyset, constant memory); records are read
/// from Orleans' hashes; writes go through the provider, so they obey Orleans' ETag rules (a GUID per write).</summary>
public sealed class RedisGrainStorageCatalog : IGrainStorageCatalog
{
    private readonly IndexedRedisGrainStorage _storage;

    /// <summary>Creates the catalog over a registered provider.</summary>
    public RedisGrainStorageCatalog(IndexedRedisGrainStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _storage = storage;
    }

    /// <inheritdoc />
    public string Name => _storage.Name;

    private RedisLayout Layout => _storage.Layout;

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListGrainTypesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var database = await _storage.Connection.GetDatabaseAsync().ConfigureAwait(false);
        var types = await database.SortedSetRangeByValueAsync(Layout.TypesKey).ConfigureAwait(false);
        return [.. types.Select(t => t.ToString()).Order(StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public async Task<GrainIdPage> ListGrainIdsAsync(string grainType, string? continuationToken, int pageSize, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CatalogArguments.ValidatePage(grainType, pageSize);
        var database = await _storage.Connection.GetDatabaseAsync().ConfigureAwait(false);
        var keys = await database.SortedSetRangeByValueAsync(Layout.GrainsKey(grainType),
            continuationToken is null ? default(RedisValue) : continuationToken, default,
            continuationToken is null ? Exclude.None : Exclude.Start, Order.Ascending, 0, pageSize + 1).ConfigureAwait(false);
        var more = keys.Length > pageSize;
        var ids = keys.Take(pageSize).Select(k => k.ToString()).ToList();
        return new GrainIdPage([.. ids.Select(k => GrainId.Create(grainType, k))], more ? ids[^1] : null);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListStateNamesAsync(GrainId grainId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CatalogArguments.ValidateRecord(grainId, string.Empty);
        var (type, key) = CatalogArguments.Parts(grainId);
        var database = await _storage.Connection.GetDatabaseAsync().ConfigureAwait(false);
        var names = (await database.HashKeysAsync(Layout.StatesKey(type, key)).ConfigureAwait(false)).Select(n => n.ToString()).ToList();
        var exists = await Task.WhenAll(names.Select(n => database.KeyExistsAsync(Layout.StateKey(type, key, n)))).ConfigureAwait(false);
        return [.. names.Where((_, i) => exists[i]).Order(StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public async Task<StorageRecord?> ReadRecordAsync(GrainId grainId, string stateName, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CatalogArguments.ValidateRecord(grainId, stateName);
        var (type, key) = CatalogArguments.Parts(grainId);
        var database = await _storage.Connection.GetDatabaseAsync().ConfigureAwait(false);
        var values = await database.HashGetAsync(Layout.StateKey(grainId, stateName), ["etag", "data"]).ConfigureAwait(false);
        if (values[0].IsNull || values[1].IsNull || ((byte[])values[1]!).Length == 0)
        {
            return null;
        }

        var written = await database.HashGetAsync(Layout.StatesKey(type, key), stateName).ConfigureAwait(false);
        var modified = written.TryParse(out long milliseconds) ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds) : DateTimeOffset.UnixEpoch;
        return new StorageRecord(grainId, stateName, (byte[])values[1]!, values[0].ToString(), modified);
    }

    /// <inheritdoc />
    public Task<string> WriteRecordAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CatalogArguments.ValidateRecord(grainId, stateName);
        return RawPayload.WriteAsync(_storage, grainId, stateName, payload, expectedETag, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<int> DeleteGrainAsync(GrainId grainId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CatalogArguments.ValidateRecord(grainId, string.Empty);
        var (type, key) = CatalogArguments.Parts(grainId);
        var database = await _storage.Connection.GetDatabaseAsync().ConfigureAwait(false);
        var deleted = 0;
        foreach (var state in await ListStateNamesAsync(grainId, cancellationToken).ConfigureAwait(false))
        {
            deleted += await database.KeyDeleteAsync(Layout.StateKey(grainId, state)).ConfigureAwait(false) ? 1 : 0;
        }

        await database.KeyDeleteAsync(Layout.StatesKey(type, key)).ConfigureAwait(false);
        await database.SortedSetRemoveAsync(Layout.GrainsKey(type), key).ConfigureAwait(false);
        if (await database.SortedSetLengthAsync(Layout.GrainsKey(type)).ConfigureAwait(false) == 0)
        {
            await database.SortedSetRemoveAsync(Layout.TypesKey, type).ConfigureAwait(false);
        }

        return deleted;
    }

    /// <inheritdoc />
    public async Task<StorageStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var database = await _storage.Connection.GetDatabaseAsync().ConfigureAwait(false);
        var types = new List<GrainTypeStatistics>();
        foreach (var type in await ListGrainTypesAsync(cancellationToken).ConfigureAwait(false))
        {
            long grains = 0, records = 0, bytes = 0;
            await foreach (var entry in database.SortedSetScanAsync(Layout.GrainsKey(type), pageSize: 500).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var key = entry.Element.ToString();
                var states = await database.HashKeysAsync(Layout.StatesKey(type, key)).ConfigureAwait(false);
                var lengths = await Task.WhenAll(states.Select(s => database.HashStringLengthAsync(Layout.StateKey(type, key, s.ToString()), "data"))).ConfigureAwait(false);
                var present = lengths.Where(l => l > 0).ToList();
                grains += present.Count > 0 ? 1 : 0;
                records += present.Count;
                bytes += present.Sum();
            }

            if (records > 0)
            {
                types.Add(new GrainTypeStatistics(type, grains, records, bytes));
            }
        }

        return StorageStatistics.From(types);
    }
}
