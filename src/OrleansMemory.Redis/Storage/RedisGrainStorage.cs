using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansMemory.Configuration;
using OrleansMemory.Storage;
using StackExchange.Redis;

namespace OrleansMemory.Redis;

/// <summary>Grain storage on Redis: one hash per record, ETag check-and-set in one Lua script, optional TTL per state
/// name, and indexes that make the catalog's listings cheap. ETags are random, so an ETag from before a clear never
/// matches again.</summary>
public sealed partial class RedisGrainStorage : IGrainStorage, IGrainStorageCatalog, IGrainStorageProbe, IAsyncDisposable
{
    private readonly RedisGrainStorageOptions _options;
    private readonly IGrainStorageSerializer _serializer;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private ConnectionMultiplexer? _connection;

    /// <summary>Creates the provider; it connects on first use.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every failure.</exception>
    public RedisGrainStorage(string name, RedisGrainStorageOptions options, IGrainStorageSerializer? serializer = null, ILogger<RedisGrainStorage>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = RedisGrainStorageOptionsValidator.Failures(name, options).ToList();
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        Name = name;
        _options = options;
        _serializer = serializer ?? new JsonGrainStorageSerializer();
        _logger = logger ?? NullLogger<RedisGrainStorage>.Instance;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        CatalogGrainState.ReadAsync(this, _serializer, stateName, grainId, grainState);

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        CatalogGrainState.WriteAsync(this, _serializer, stateName, grainId, grainState);

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        CatalogArguments.ValidateRecord(grainId, stateName);
        var keys = RedisKeys.For(_options.KeyPrefix, grainId);
        await RunAsync("clear", grainId, stateName, async db =>
        {
            var result = (RedisResult[])(await db.ScriptEvaluateAsync(RedisScripts.Clear,
                [keys.Record(stateName), keys.States, keys.Ids, keys.Types],
                [grainState.ETag ?? string.Empty, stateName, grainId.Key, grainId.Type]).ConfigureAwait(false))!;
            return (long)result[0] == 1 ? 0 : throw Conflict("clear", grainId, stateName, grainState.ETag, (string?)result[1]);
        }, CancellationToken.None).ConfigureAwait(false);
        grainState.State = GrainStateFactory.CreateDefault<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <inheritdoc />
    public Task<StorageRecord?> ReadRecordAsync(GrainId grainId, string stateName, CancellationToken cancellationToken = default)
    {
        CatalogArguments.ValidateRecord(grainId, stateName);
        var key = RedisKeys.For(_options.KeyPrefix, grainId).Record(stateName);
        return RunAsync("read", grainId, stateName, async db =>
        {
            var fields = await db.HashGetAsync(key, ["d", "e", "m"]).WaitAsync(cancellationToken).ConfigureAwait(false);
            return fields[1].IsNull
                ? null
                : new StorageRecord(grainId, stateName, (byte[])fields[0]! ?? [], (string)fields[1]!, DateTimeOffset.FromUnixTimeMilliseconds((long)fields[2]));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<string> WriteRecordAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken = default)
    {
        CatalogArguments.ValidateRecord(grainId, stateName);
        var keys = RedisKeys.For(_options.KeyPrefix, grainId);
        var ttl = _options.StateTimeToLive.TryGetValue(stateName, out var t) ? (long)t.TotalMilliseconds : 0;
        var eTag = Guid.NewGuid().ToString("N")[..20];
        byte[] bytes = payload.ToArray();
        return RunAsync("write", grainId, stateName, async db =>
        {
            var result = (RedisResult[])(await db.ScriptEvaluateAsync(RedisScripts.Write,
                [keys.Record(stateName), keys.States, keys.Ids, keys.Types],
                [expectedETag ?? string.Empty, bytes, eTag, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), ttl, stateName, grainId.Key, grainId.Type]).ConfigureAwait(false))!;
            return (long)result[0] == 1 ? eTag : throw Conflict("write", grainId, stateName, expectedETag, (string?)result[1]);
        }, cancellationToken);
    }

    /// <summary>Proves a real round trip: writes a probe key with a short expiry, reads it back and deletes it.</summary>
    public Task<string> ProbeAsync(CancellationToken cancellationToken = default)
    {
        var probe = new GrainId("__health", Guid.NewGuid().ToString("N"));
        return RunAsync("probe", probe, "probe", async db =>
        {
            RedisKey key = _options.KeyPrefix + "health:" + probe.Key;
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            await db.StringSetAsync(key, probe.Key, TimeSpan.FromSeconds(30)).WaitAsync(cancellationToken).ConfigureAwait(false);
            var read = (string?)await db.StringGetAsync(key).WaitAsync(cancellationToken).ConfigureAwait(false);
            await db.KeyDeleteAsync(key).ConfigureAwait(false);
            return read == probe.Key
                ? $"Redis {_connection!.GetEndPoints().FirstOrDefault()} round trip {System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture)} ms"
                : throw new InvalidOperationException("The probe key written in the health check could not be read back.");
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.CloseAsync().ConfigureAwait(false);
            connection.Dispose();
        }
    }

    private async Task<TResult> RunAsync<TResult>(string operation, GrainId grainId, string stateName, Func<IDatabase, Task<TResult>> action, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await action(await DatabaseAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or InvalidCastException)
        {
            throw GrainStorageException.For(Name, operation, grainId, stateName, ex);
        }
    }

    private async Task<IDatabase> DatabaseAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } connected)
        {
            return connected.GetDatabase(_options.Database);
        }

        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_connection is null)
            {
                var connection = await ConnectionMultiplexer.ConnectAsync(_options.ConfigurationString).ConfigureAwait(false);
                // Loaded scripts are sent as EVALSHA from then on (the library remembers their hashes), not as their full text.
                foreach (var endPoint in connection.GetEndPoints())
                {
                    var server = connection.GetServer(endPoint);
                    if (server.IsConnected && !server.IsSlave)
                    {
                        foreach (var script in RedisScripts.All)
                        {
                            await server.ScriptLoadAsync(script).ConfigureAwait(false);
                        }
                    }
                }

                _connection = connection;
                LogInformationConnected(_logger, Name, _options.ConfigurationString);
            }

            return _connection.GetDatabase(_options.Database);
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private InconsistentStateException Conflict(string operation, GrainId grainId, string stateName, string? expected, string? stored)
    {
        stored = string.IsNullOrEmpty(stored) ? null : stored;
        LogDebugETagConflict(_logger, Name, operation, stateName, grainId, expected, stored);
        return new InconsistentStateException(
            $"ETag mismatch on {operation} of state '{stateName}' of grain {grainId} in '{Name}': expected '{expected ?? "<none>"}', stored '{stored ?? "<none>"}'.",
            stored, expected);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis storage {Provider} connected to {Configuration}")]
    private static partial void LogInformationConnected(ILogger logger, string provider, string configuration);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Redis storage {Provider}: ETag conflict on {Operation} of {StateName} of {GrainId}: expected {Expected}, stored {Stored}")]
    private static partial void LogDebugETagConflict(ILogger logger, string provider, string operation, string stateName, GrainId grainId, string? expected, string? stored);
}
