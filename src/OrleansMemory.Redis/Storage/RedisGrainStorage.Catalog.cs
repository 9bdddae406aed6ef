using OrleansMemory.Storage;
using StackExchange.Redis;

namespace OrleansMemory.Redis;

/// <summary>The <see cref="IGrainStorageCatalog"/> side of the Redis provider, served by its indexes.</summary>
public sealed partial class RedisGrainStorage
{
    private static readonly GrainId CatalogId = new("catalog", string.Empty);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListGrainTypesAsync(CancellationToken cancellationToken = default) =>
        RunAsync("list grain types of", CatalogId, string.Empty, async db =>
        {
            var types = await db.SortedSetRangeByRankAsync(_options.KeyPrefix + "types").WaitAsync(cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<string>)[.. types.Select(t => (string)t!).Order(StringComparer.Ordinal)];
        }, cancellationToken);

    /// <inheritdoc />
    public Task<GrainIdPage> ListGrainIdsAsync(string grainType, string? continuationToken, int pageSize, CancellationToken cancellationToken = default)
    {
        CatalogArguments.ValidatePage(grainType, pageSize);
        return RunAsync("list grain ids of", new GrainId(grainType, string.Empty), string.Empty, async db =>
        {
            var keys = await db.SortedSetRangeByValueAsync(RedisKeys.IdsOf(_options.KeyPrefix, grainType),
                continuationToken is null ? default : (RedisValue)continuationToken, default,
                continuationToken is null ? Exclude.None : Exclude.Start, 0, pageSize + 1).WaitAsync(cancellationToken).ConfigureAwait(false);
            var examined = keys.Take(pageSize).Select(k => (string)k!).ToList();
            var ids = new List<GrainId>(examined.Count);
            foreach (var key in examined)
            {
                // With expiring states an index entry can outlive its records; the states script prunes it.
                var id = new GrainId(grainType, key);
                if (_options.StateTimeToLive.Count == 0 || (await StatesAsync(db, id, cancellationToken).ConfigureAwait(false)).Count > 0)
                {
                    ids.Add(id);
                }
            }

            return new GrainIdPage(ids, keys.Length > pageSize ? examined[^1] : null);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListStateNamesAsync(GrainId grainId, CancellationToken cancellationToken = default)
    {
        CatalogArguments.ValidateRecord(grainId, string.Empty);
        return RunAsync("list states of", grainId, string.Empty, async db =>
            (IReadOnlyList<string>)[.. (await StatesAsync(db, grainId, cancellationToken).ConfigureAwait(false)).Select(s => s.Name).Order(StringComparer.Ordinal)],
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> DeleteGrainAsync(GrainId grainId, CancellationToken cancellationToken = default)
    {
        CatalogArguments.ValidateRecord(grainId, string.Empty);
        var keys = RedisKeys.For(_options.KeyPrefix, grainId);
        return RunAsync("delete", grainId, "*", async db => (int)await db.ScriptEvaluateAsync(RedisScripts.DeleteGrain,
            [keys.States, keys.Ids, keys.Types], [keys.RecordPrefix, grainId.Key, grainId.Type]).ConfigureAwait(false), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<StorageStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        var types = new List<GrainTypeStatistics>();
        foreach (var type in await ListGrainTypesAsync(cancellationToken).ConfigureAwait(false))
        {
            long grains = 0, records = 0, bytes = 0;
            string? token = null;
            do
            {
                var page = await ListGrainIdsAsync(type, token, 500, cancellationToken).ConfigureAwait(false);
                var states = await RunAsync("count records of", new GrainId(type, string.Empty), string.Empty,
                    async db => await Task.WhenAll(page.Ids.Select(id => StatesAsync(db, id, cancellationToken))).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                foreach (var grain in states.Where(s => s.Count > 0))
                {
                    grains++;
                    records += grain.Count;
                    bytes += grain.Sum(s => s.Size);
                }

                token = page.ContinuationToken;
            }
            while (token is not null);

            if (records > 0)
            {
                types.Add(new GrainTypeStatistics(type, grains, records, bytes));
            }
        }

        return StorageStatistics.From(types);
    }

    private async Task<List<(string Name, long Size)>> StatesAsync(IDatabase db, GrainId grainId, CancellationToken cancellationToken)
    {
        var keys = RedisKeys.For(_options.KeyPrefix, grainId);
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(RedisScripts.States, [keys.States, keys.Ids, keys.Types],
            [keys.RecordPrefix, grainId.Key, grainId.Type]).WaitAsync(cancellationToken).ConfigureAwait(false))!;
        var states = new List<(string, long)>(result.Length / 2);
        for (var i = 0; i + 1 < result.Length; i += 2)
        {
            states.Add(((string)result[i]!, (long)result[i + 1]));
        }

        return states;
    }
}
