using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace OrleansMemory.Storage;

/// <summary>Hands Orleans' ADO.NET provider SQLite connections that wait for a busy database inside SQLite
/// (<c>busy_timeout</c>, short sleeps) instead of Microsoft.Data.Sqlite's retry loop, which sleeps 150 ms between
/// attempts, and that use <c>synchronous=NORMAL</c>, SQLite's recommended setting with WAL (durable across application
/// crashes; a power loss may lose the last commits), and <c>secure_delete</c> (erased records leave no bytes in the
/// file). The settings belong to the native connection, which the pool
/// keeps, so each is tuned once.</summary>
internal sealed class SqliteTunedDataSource(string connectionString, bool walMode) : DbDataSource
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
        command.CommandText = $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds}; PRAGMA secure_delete = ON;"
            + (walMode ? " PRAGMA synchronous = NORMAL;" : string.Empty);
        return command;
    }
}
