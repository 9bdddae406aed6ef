using Microsoft.Extensions.Logging;

namespace OrleansMemory.Storage;

/// <summary>Puts the grain type into the keys Orleans' ADO.NET provider stores. That provider keys a string-keyed
/// grain's row by the state name and the key only (the grain type is not part of the row key), and treats keys that
/// parse as hexadecimal numbers or GUIDs as numbers (so "c1" and "C1" are one row). This decorator passes the state
/// name <c>{grain type}/{state name}</c> (for example <c>user/memories/000003</c>) and the key
/// <c>{grain type}/{key}</c>, which never parses as a number: user "x" and conversation "x" keep separate rows, and
/// the catalog can list grain types. Before the provider reads its queries it applies the schema
/// (<see cref="RelationalGrainStorageOptions.CreateSchema"/>) or checks that it is there.</summary>
public sealed partial class TypePrefixedGrainStorage : IGrainStorage, OrleansMemory.Abstractions.IVersionedGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly IGrainStorage _inner;
    private readonly RelationalGrainStorageOptions _options;
    private readonly ILogger _logger;

    /// <summary>SQLite with <see cref="RelationalGrainStorageOptions.DurableCommits"/>: one write at a time from this silo.
    /// SQLite lets one writer in and makes the others sleep in its busy handler (1, 2, 5, 10, 15, 20, 25 ms and on); with
    /// each commit flushed to disk, 16 concurrent writers saw 80 ms at p99, and queued here 6-9 ms. Without the flush
    /// commits are short and the queue only slowed them.</summary>
    private readonly SemaphoreSlim? _sqliteWriter;

    /// <summary>Creates the decorator.</summary>
    /// <param name="name">The provider's registered name.</param>
    /// <param name="inner">Orleans' ADO.NET provider.</param>
    /// <param name="options">The options (schema creation, stage).</param>
    /// <param name="logger">The logger.</param>
    public TypePrefixedGrainStorage(string name, IGrainStorage inner, RelationalGrainStorageOptions options, ILogger<TypePrefixedGrainStorage> logger)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        Name = name;
        _inner = inner;
        _options = options;
        _logger = logger;
        _sqliteWriter = !options.IsPostgreSql && options.DurableCommits ? new SemaphoreSlim(1, 1) : null;
    }

    /// <summary>The provider's registered name.</summary>
    public string Name { get; }

    /// <summary>The state name stored for <paramref name="stateName"/> of a grain of <paramref name="grainType"/>.</summary>
    public static string StoredStateName(string grainType, string stateName) => grainType + "/" + stateName;

    /// <summary>The key stored for <paramref name="key"/> of a grain of <paramref name="grainType"/>.</summary>
    public static string StoredKey(string grainType, string key) => grainType + "/" + key;

    /// <summary>On SQLite, moves the write-ahead log into the database and truncates it (the log keeps every earlier
    /// version of a page until then; the database itself zeroes erased records with <c>secure_delete</c>). PostgreSQL
    /// keeps no earlier version a reader can reach; its dead tuples go with (auto)vacuum.</summary>
    public async Task EraseEarlierVersionsAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default)
    {
        if (_options.IsPostgreSql || !_options.WalMode)
        {
            return;
        }

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(_options.EffectiveConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 5000; PRAGMA wal_checkpoint(TRUNCATE);";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && reader.GetInt32(0) != 0)
        {
            LogWarningCheckpointBusy(_logger, Name);
        }
    }

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        // First, before the silo's grain directory starts: a missing schema then stops the silo cleanly.
        lifecycle.Subscribe(nameof(TypePrefixedGrainStorage) + "-" + Name, ServiceLifecycleStage.First, PrepareSchemaAsync);
    }

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var (state, id) = Map(stateName, grainId, _options.IsPostgreSql);
        return _inner.ReadStateAsync(state, id, grainState, cancellationToken);
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var (state, id) = Map(stateName, grainId, _options.IsPostgreSql);
        return _sqliteWriter is null ? _inner.WriteStateAsync(state, id, grainState, cancellationToken)
            : QueuedAsync(() => _inner.WriteStateAsync(state, id, grainState, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var (state, id) = Map(stateName, grainId, _options.IsPostgreSql);
        return _sqliteWriter is null ? _inner.ClearStateAsync(state, id, grainState, cancellationToken)
            : QueuedAsync(() => _inner.ClearStateAsync(state, id, grainState, cancellationToken), cancellationToken);
    }

    /// <summary>Runs <paramref name="write"/> when the writes queued before it are done (<see cref="_sqliteWriter"/>).</summary>
    private async Task QueuedAsync(Func<Task> write, CancellationToken cancellationToken)
    {
        await _sqliteWriter!.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await write().ConfigureAwait(false);
        }
        finally
        {
            _sqliteWriter.Release();
        }
    }

    private static (string StateName, GrainId GrainId) Map(string stateName, GrainId grainId, bool refuseNul)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        var (type, key) = CatalogArguments.Parts(grainId);
        if (refuseNul && (key.Contains('\0', StringComparison.Ordinal) || stateName.Contains('\0', StringComparison.Ordinal)))
        {
            // PostgreSQL text cannot hold U+0000; say so before the server answers with an encoding error.
            throw new ArgumentException($"PostgreSQL storage cannot store a key or state name containing NUL (U+0000): {type} '{key.Replace("\0", "\\0", StringComparison.Ordinal)}', state '{stateName.Replace("\0", "\\0", StringComparison.Ordinal)}'.", nameof(grainId));
        }

        return (StoredStateName(type, stateName), GrainId.Create(grainId.Type, StoredKey(type, key)));
    }

    // Before Orleans' provider reads its queries: apply the schema when told to, else check it is there, so that a
    // missing schema stops the silo with a message that says what to do (not "relation orleansquery does not exist").
    private async Task PrepareSchemaAsync(CancellationToken cancellationToken)
    {
        if (_options.CreateSchema)
        {
            await AdoNetSchema.ApplyAsync(_options.Invariant, _options.EffectiveConnectionString, _options.WalMode, cancellationToken).ConfigureAwait(false);
            LogInformationSchemaApplied(_logger, Name, _options.Invariant);
            return;
        }

        try
        {
            await AdoNetSchema.VerifyStorageAsync(_options.Invariant, _options.EffectiveConnectionString, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException($"Storage '{Name}': {ex.Message}", ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage {Provider}: schema scripts applied ({Invariant})")]
    private static partial void LogInformationSchemaApplied(ILogger logger, string provider, string invariant);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage {Provider}: the SQLite write-ahead log could not be truncated after an erasure (readers were busy); it is on the next one")]
    private static partial void LogWarningCheckpointBusy(ILogger logger, string provider);
}
