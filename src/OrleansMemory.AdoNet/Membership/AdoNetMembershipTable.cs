using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrleansMemory.Configuration;

namespace OrleansMemory.Membership.AdoNet;

/// <summary>The membership table in a SQL database (PostgreSQL or SQLite). Conditional writes run in one transaction:
/// a version bump guarded by <c>version = @version</c>, then the row statement; either affecting no row rolls back.</summary>
public sealed partial class AdoNetMembershipTable : IMembershipTable, IDisposable
{
    private readonly AdoNetClusteringOptions _options;
    private readonly string _serviceId;
    private readonly string _clusterId;
    private readonly ILogger _logger;
    private readonly bool _sqlite;
    private readonly NpgsqlDataSource? _dataSource;

    /// <summary>Creates the table for one cluster.</summary>
    public AdoNetMembershipTable(AdoNetClusteringOptions options, ClusterOptions cluster, ILogger<AdoNetMembershipTable> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cluster);
        _options = options;
        _serviceId = cluster.ServiceId;
        _clusterId = cluster.ClusterId;
        _logger = logger;
        _sqlite = options.Invariant switch
        {
            AdoNetInvariants.Sqlite => true,
            AdoNetInvariants.PostgreSql => false,
            _ => throw new ArgumentException($"AdoNetClusteringOptions.Invariant '{options.Invariant}' is not supported; use '{AdoNetInvariants.PostgreSql}' or '{AdoNetInvariants.Sqlite}'.", nameof(options)),
        };
        _dataSource = _sqlite ? null : NpgsqlDataSource.Create(options.ConnectionString);
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (_options.CreateSchema)
        {
            try
            {
                await ExecuteAsync(connection, null, AdoNetMembershipSql.CreateSchema, null, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
            {
                // Another silo created the tables at the same moment.
            }
        }

        await ExecuteAsync(connection, null, AdoNetMembershipSql.InsertVersion, null, cancellationToken).ConfigureAwait(false);
        LogInitialized(_logger, _options.Invariant, _serviceId, _clusterId);
    }

    /// <inheritdoc />
    public async Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(_sqlite ? IsolationLevel.Serializable : IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        long version;
        await using (var command = Command(connection, transaction, AdoNetMembershipSql.ReadVersion, null))
        {
            version = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L, CultureInfo.InvariantCulture);
        }

        var rows = new List<MembershipRow>();
        await using (var command = Command(connection, transaction, AdoNetMembershipSql.ReadRows, null))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var entry = new MembershipEntry(
                    new SiloAddress(reader.GetString(0), Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture), reader.GetInt64(2)),
                    (SiloStatus)Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture),
                    reader.GetString(3),
                    SuspectVoteFormat.FromStored(reader.GetInt64(5)),
                    SuspectVoteFormat.FromStored(reader.GetInt64(6)),
                    SuspectVoteFormat.Parse(reader.GetString(7)));
                rows.Add(new MembershipRow(entry, reader.GetInt64(8).ToString(CultureInfo.InvariantCulture)));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new MembershipTableData(rows, new TableVersion(version));
    }

    /// <inheritdoc />
    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion version, CancellationToken cancellationToken) =>
        ConditionalWriteAsync(entry, version, AdoNetMembershipSql.InsertRow, null, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion version, CancellationToken cancellationToken) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var expected)
            ? ConditionalWriteAsync(entry, version, AdoNetMembershipSql.UpdateRow, expected, cancellationToken)
            : Task.FromResult(false);

    /// <inheritdoc />
    public async Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, AdoNetMembershipSql.UpdateIAmAlive, c =>
        {
            Add(c, "address", silo.ToString());
            Add(c, "iamalive_time", SuspectVoteFormat.ToStored(time));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task CleanupDefunctSiloEntriesAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, AdoNetMembershipSql.CleanupDefunct, c => Add(c, "before", SuspectVoteFormat.ToStored(before)), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteClusterAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, AdoNetMembershipSql.DeleteCluster, null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _dataSource?.Dispose();

    private async Task<bool> ConditionalWriteAsync(MembershipEntry entry, TableVersion version, string sql, long? etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(version);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        var bumped = await ExecuteAsync(connection, transaction, AdoNetMembershipSql.BumpVersion, c => Add(c, "version", version.Version), cancellationToken).ConfigureAwait(false);
        if (bumped != 1)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }

        var written = await ExecuteAsync(connection, transaction, sql, c =>
        {
            Add(c, "address", entry.Silo.ToString());
            Add(c, "host", entry.Silo.Host);
            Add(c, "port", entry.Silo.Port);
            Add(c, "generation", entry.Silo.Generation);
            Add(c, "silo_name", entry.SiloName);
            Add(c, "status", (int)entry.Status);
            Add(c, "start_time", SuspectVoteFormat.ToStored(entry.StartTime));
            Add(c, "iamalive_time", SuspectVoteFormat.ToStored(entry.IAmAliveTime));
            Add(c, "suspect_times", SuspectVoteFormat.Format(entry.SuspectTimes));
            if (etag is { } value)
            {
                Add(c, "etag", value);
            }
        }, cancellationToken).ConfigureAwait(false);
        if (written != 1)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_dataSource is not null)
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }

        var connection = new SqliteConnection(_options.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return connection;
    }

    private async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, Action<DbCommand>? parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, Action<DbCommand>? parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        Add(command, "service_id", _serviceId);
        Add(command, "cluster_id", _clusterId);
        parameters?.Invoke(command);
        return command;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Membership table ready on {Invariant} for service {ServiceId}, cluster {ClusterId}")]
    private static partial void LogInitialized(ILogger logger, string invariant, string serviceId, string clusterId);
}
