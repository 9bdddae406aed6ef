using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace OrleansMemory.Storage;

/// <summary>Hands Orleans' ADO.NET provider SQLite connections that wait for a busy database inside SQLite
/// (<c>busy_timeout</c>, short sleeps) instead of Microsoft.Data.Sqlite's retry loop, which sleeps 150 ms between
/// attempts; that use <c>synchronous=NORMAL</c> with WAL (SQLite's recommended setting: durable across application
/// crashes, a power loss may lose the last commits) or <c>FULL</c> (without WAL, or with
/// <see cref="RelationalGrainStorageOptions.DurableCommits"/>: each commit is on disk before it is acknowledged); and
/// <c>secure_delete</c> (erased records leave no bytes in the file). The settings belong to the native connection,
/// which the pool keeps, so each is tuned once.</summary>
internal sealed class SqliteTunedDataSource(string connectionString, bool walMode, bool durableCommits) : DbDataSource
{
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> _tuned = [];
    private readonly int _busyTimeoutMilliseconds = (int)Math.Min(int.MaxValue, new SqliteConnectionStringBuilder(connectionString).DefaultTimeout * 1000L);

    public override string ConnectionString { get; } = connectionString;

    protected override DbConnection CreateDbConnection() => new SqliteConnection(ConnectionString);

    protected override DbConnection OpenDbConnection()
    {
        var connection = CreateDbConnection();
        try
        {
            connection.Open();
            if (NeedsTuning(connection))
            {
                using var command = Tune(connection);
                command.ExecuteNonQuery();
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = CreateDbConnection();
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (NeedsTuning(connection))
            {
                await using var command = Tune(connection);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private bool NeedsTuning(DbConnection connection)
    {
        var handle = ((SqliteConnection)connection).Handle;
        return handle is null || _tuned.TryAdd(handle, handle);
    }

    private DbCommand Tune(DbConnection connection)
    {
        var command = connection.CreateCommand();
        // secure_delete: deleted and overwritten records are zeroed in the file, not left in free pages (erasure).
        // synchronous: NORMAL only with WAL (without it, NORMAL can corrupt the database on a power loss).
        var synchronous = walMode && !durableCommits ? "NORMAL" : "FULL";
        command.CommandText = $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds}; PRAGMA secure_delete = ON; PRAGMA synchronous = {synchronous};";
        return command;
    }
}
