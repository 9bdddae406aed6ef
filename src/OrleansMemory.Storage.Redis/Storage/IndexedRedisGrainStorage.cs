namespace OrleansMemory.Storage;

/// <summary>Orleans' Redis provider plus an index the catalog reads: with every write the grain type, key and state
/// name (with the write time) are recorded in sorted sets and a hash (<see cref="RedisLayout"/>); a successful clear
/// removes them. Orleans' keys stay where Orleans puts them, but a key containing <c>/</c> cannot
/// be split back into grain, key and state, and a SCAN cannot page grains in order; the index can.</summary>
public sealed class IndexedRedisGrainStorage : IGrainStorage
{
    private const string UnindexScript =
        """
        redis.call('HDEL', KEYS[3], ARGV[3])
        if redis.call('HLEN', KEYS[3]) == 0 then
          redis.call('ZREM', KEYS[2], ARGV[2])
          if redis.call('ZCARD', KEYS[2]) == 0 then
            redis.call('ZREM', KEYS[1], ARGV[1])
          end
        end
        return 1
        """;

    private readonly IGrainStorage _inner;
    private readonly RedisConnection _connection;
    private readonly RedisLayout _layout;

    internal IndexedRedisGrainStorage(string name, IGrainStorage inner, RedisConnection connection, RedisLayout layout)
    {
        Name = name;
        _inner = inner;
        _connection = connection;
        _layout = layout;
    }

    /// <summary>The provider's registered name.</summary>
    public string Name { get; }

    internal RedisLayout Layout => _layout;

    internal RedisConnection Connection => _connection;

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _inner.ReadStateAsync(stateName, grainId, grainState);

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        _inner.ReadStateAsync(stateName, grainId, grainState, cancellationToken);

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        // The index entry travels with the write (one round trip instead of two). A write that loses an ETag race on a
        // record that does not exist leaves an entry without a record, which the catalog skips (no record, no bytes).
        var index = IndexAsync(stateName, grainId);
        try
        {
            await _inner.WriteStateAsync(stateName, grainId, grainState, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await index.ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        await _inner.ClearStateAsync(stateName, grainId, grainState, cancellationToken).ConfigureAwait(false);
        ArgumentNullException.ThrowIfNull(stateName);
        var (type, key) = CatalogArguments.Parts(grainId);
        var database = await _connection.GetDatabaseAsync().ConfigureAwait(false);
        await database.ScriptEvaluateAsync(UnindexScript,
            [_layout.TypesKey, _layout.GrainsKey(type), _layout.StatesKey(type, key)], [type, key, stateName]).ConfigureAwait(false);
    }

    // Three plain commands in one MULTI/EXEC rather than a Lua script: the same atomic entry for less server time (INFO
    // commandstats here: EXEC with its three commands about 3.6 us a call, EVALSHA of scripts about 8 us), which is what
    // limits writes on the single-threaded server under load (bench/README.md, storage breakdown).
    private async Task IndexAsync(string stateName, GrainId grainId)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        var (type, key) = CatalogArguments.Parts(grainId);
        var database = await _connection.GetDatabaseAsync().ConfigureAwait(false);
        var transaction = database.CreateTransaction();
        var types = transaction.SortedSetAddAsync(_layout.TypesKey, type, 0);
        var grains = transaction.SortedSetAddAsync(_layout.GrainsKey(type), key, 0);
        var states = transaction.HashSetAsync(_layout.StatesKey(type, key), stateName, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await transaction.ExecuteAsync().ConfigureAwait(false);
        await Task.WhenAll(types, grains, states).ConfigureAwait(false);
    }
}
