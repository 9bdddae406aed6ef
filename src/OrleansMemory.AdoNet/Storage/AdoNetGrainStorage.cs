using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OrleansMemory.Configuration;
using OrleansMemory.Storage;

namespace OrleansMemory.AdoNet;

/// <summary>Grain storage in one table of SQLite or PostgreSQL, keyed by (service id, grain type, grain key, state name),
/// with the version column as the ETag. The exact serialized bytes are kept, so ETags, raw reads and migrations are
/// byte-for-byte; PostgreSQL also keeps a <c>jsonb</c> copy of JSON payloads for queries.</summary>
public sealed partial class AdoNetGrainStorage : IGrainStorage, IGrainStorageCatalog, IGrainStorageProbe, IAsyncDisposable
{
    private readonly AdoNetGrainStorageOptions _options;
    private readonly AdoNetSql _sql;
    private readonly DbDataSource _dataSource;
    private readonly SqliteConnectionPool? _sqlitePool;
    private readonly IGrainStorageSerializer _serializer;
    private readonly ILogger _logger;
    private readonly Lazy<Task> _initialized;

    /// <summary>Creates the provider. The schema is created (when allowed) on first use.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every failure.</exception>
    public AdoNetGrainStorage(string name, AdoNetGrainStorageOptions options, IGrainStorageSerializer? serializer = null, ILogger<AdoNetGrainStorage>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = AdoNetGrainStorageOptionsValidator.Failures(name, options).ToList();
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        Name = name;
        _options = options;
        _sql = AdoNetSql.For(options);
        _dataSource = _sql.IsPostgres ? CreatePostgresDataSource(options) : CreateSqliteDataSource(options);
        _sqlitePool = _sql.IsPostgres ? null : new SqliteConnectionPool(_dataSource.ConnectionString, options.CommandTimeout, options.EnableWalMode);
        _serializer = serializer ?? new JsonGrainStorageSerializer();
        _logger = logger ?? NullLogger<AdoNetGrainStorage>.Instance;
        _initialized = new Lazy<Task>(InitializeAsync);
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
        await RunAsync("clear", grainId, stateName, async connection =>
        {
            if (grainState.ETag is null)
            {
                // Clearing nothing succeeds only when nothing is stored.
                var stored = await CurrentETagAsync(connection, grainId, stateName, CancellationToken.None).ConfigureAwait(false);
                return stored is null ? 0 : throw Conflict("clear", grainId, stateName, null, stored);
            }

            var command = Command(connection, _sql.Clear, grainId, stateName);
            Add(command, "version", ParseVersion(grainState.ETag), DbType.Int64);
            Add(command, "modified", ModifiedValue(DateTimeOffset.UtcNow));
            if (await command.ExecuteScalarAsync().ConfigureAwait(false) is null)
            {
                throw Conflict("clear", grainId, stateName, grainState.ETag, await CurrentETagAsync(connection, grainId, stateName, CancellationToken.None).ConfigureAwait(false));
            }

            return 0;
        }, CancellationToken.None).ConfigureAwait(false);
        grainState.State = GrainStateFactory.CreateDefault<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <inheritdoc />
    public Task<StorageRecord?> ReadRecordAsync(GrainId grainId, string stateName, CancellationToken cancellationToken = default)
    {
        CatalogArguments.ValidateRecord(grainId, stateName);
        return RunAsync("read", grainId, stateName, async connection =>
        {
            var command = Command(connection, _sql.Read, grainId, stateName);
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SingleRow, cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? new StorageRecord(grainId, stateName, reader.GetFieldValue<byte[]>(1), FormatVersion(reader.GetInt64(0)), ReadModified(reader, 2))
                : null;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<string> WriteRecordAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken = default)
    {
        CatalogArguments.ValidateRecord(grainId, stateName);
        var bytes = payload.ToArray();
        var version = expectedETag is null ? (long?)null : ParseVersion(expectedETag);
        return RunAsync("write", grainId, stateName, async connection =>
        {
            var command = Command(connection, version is null ? _sql.Insert : _sql.Update, grainId, stateName);
            Add(command, "payload", bytes, DbType.Binary);
            Add(command, "modified", ModifiedValue(DateTimeOffset.UtcNow));
            if (_sql.UsesJsonb)
            {
                Add(command, "json", JsonPayload.AsJsonText(bytes), DbType.String);
            }

            if (version is not null)
            {
                Add(command, "version", version.Value, DbType.Int64);
            }

            var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return result is null or DBNull
                ? throw Conflict("write", grainId, stateName, expectedETag, await CurrentETagAsync(connection, grainId, stateName, cancellationToken).ConfigureAwait(false))
                : FormatVersion(Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture));
        }, cancellationToken);
    }

    /// <summary>Creates the schema when allowed and sets the SQLite journal mode; runs once, on first use.</summary>
    public Task EnsureInitializedAsync() => _initialized.Value;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_sqlitePool is not null)
        {
            await _sqlitePool.DisposeAsync().ConfigureAwait(false);
        }

        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private async Task InitializeAsync()
    {
        await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        if (!_sql.IsPostgres && _options.EnableWalMode)
        {
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL").ConfigureAwait(false);
        }

        if (!_options.CreateSchema)
        {
            return;
        }

        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        if (_sql.IsPostgres)
        {
            // Serialises schema creation across silos starting together.
            await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(7319024517)").ConfigureAwait(false);
        }

        foreach (var statement in _sql.Schema)
        {
            await ExecuteAsync(connection, transaction, statement).ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        LogInformationSchemaReady(_logger, Name, _options.Invariant);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private async Task<TResult> RunAsync<TResult>(string operation, GrainId grainId, string stateName, Func<DbConnection, Task<TResult>> action, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await EnsureInitializedAsync().ConfigureAwait(false);
            if (_sqlitePool is null)
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                return await action(connection).ConfigureAwait(false);
            }

            var pooled = await _sqlitePool.RentAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await action(pooled).ConfigureAwait(false);
            }
            finally
            {
                await _sqlitePool.ReturnAsync(pooled).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            throw GrainStorageException.For(Name, operation, grainId, stateName, ex);
        }
    }

    // Commands are not disposed by callers: SQLite ones are cached per pooled connection (prepared once), and an
    // NpgsqlCommand holds nothing that needs disposing.
    private DbCommand Command(DbConnection connection, string sql, GrainId grainId, string? stateName)
    {
        DbCommand command;
        if (_sqlitePool is not null && connection is SqliteConnection sqlite)
        {
            command = _sqlitePool.Command(sqlite, sql);
        }
        else
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
        }

        command.CommandTimeout = (int)Math.Ceiling(_options.CommandTimeout.TotalSeconds);
        Add(command, "service", _options.ServiceId, DbType.String);
        Add(command, "type", KeyCodec.Encode(grainId.Type), DbType.String);
        Add(command, "key", KeyCodec.Encode(grainId.Key), DbType.String);
        if (stateName is not null)
        {
            Add(command, "state", KeyCodec.Encode(stateName), DbType.String);
        }

        return command;
    }

    private static void Add(DbCommand command, string name, object? value, DbType? type = null)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        if (type is not null)
        {
            parameter.DbType = type.Value;
        }

        command.Parameters.Add(parameter);
    }

    private async Task<string?> CurrentETagAsync(DbConnection connection, GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        var command = Command(connection, _sql.Read.Replace("version, payload, modified_at", "version", StringComparison.Ordinal), grainId, stateName);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is { } version and not DBNull
            ? FormatVersion(Convert.ToInt64(version, System.Globalization.CultureInfo.InvariantCulture))
            : null;
    }

    private InconsistentStateException Conflict(string operation, GrainId grainId, string stateName, string? expected, string? stored)
    {
        LogDebugETagConflict(_logger, Name, operation, stateName, grainId, expected, stored);
        return new InconsistentStateException(
            $"ETag mismatch on {operation} of state '{stateName}' of grain {grainId} in '{Name}': expected '{expected ?? "<none>"}', stored '{stored ?? "<none>"}'.",
            stored, expected);
    }

    private object ModifiedValue(DateTimeOffset now) => _sql.IsPostgres ? now.UtcDateTime : now.ToUnixTimeMilliseconds();

    private DateTimeOffset ReadModified(DbDataReader reader, int ordinal) => _sql.IsPostgres
        ? new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc))
        : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    private static string FormatVersion(long version) => version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // An ETag that is not a version can never match; -1 is a version no row has.
    private static long ParseVersion(string eTag) =>
        long.TryParse(eTag, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : -1;

    private static DbDataSource CreateSqliteDataSource(AdoNetGrainStorageOptions options)
    {
        // Connections are pooled and set up (foreign keys, busy timeout, synchronous) by SqliteConnectionPool.
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString)
        {
            DefaultTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds),
            Pooling = false,
        };
        if (builder.Mode is not SqliteOpenMode.Memory && !string.IsNullOrEmpty(builder.DataSource)
            && Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        return SqliteFactory.Instance.CreateDataSource(builder.ToString());
    }

    private static NpgsqlDataSource CreatePostgresDataSource(AdoNetGrainStorageOptions options)
    {
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            // Server-side prepared statements for the handful of statements this provider runs.
            builder.ConnectionStringBuilder.MaxAutoPrepare = 16;
        }

        return builder.Build();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "ADO.NET storage {Provider} ready on {Invariant}")]
    private static partial void LogInformationSchemaReady(ILogger logger, string provider, string invariant);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ADO.NET storage {Provider}: ETag conflict on {Operation} of {StateName} of {GrainId}: expected {Expected}, stored {Stored}")]
    private static partial void LogDebugETagConflict(ILogger logger, string provider, string operation, string stateName, GrainId grainId, string? expected, string? stored);
}
