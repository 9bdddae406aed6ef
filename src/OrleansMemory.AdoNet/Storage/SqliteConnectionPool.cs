using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace OrleansMemory.AdoNet;

/// <summary>Open SQLite connections, each set up once (busy timeout, foreign keys, <c>synchronous=NORMAL</c> under WAL)
/// instead of on every open, which is most of the cost of a small statement.</summary>
internal sealed class SqliteConnectionPool(string connectionString, TimeSpan busyTimeout, bool wal) : IAsyncDisposable
{
    private const int MaxIdle = 32;
    private readonly ConcurrentBag<SqliteConnection> _idle = [];
    private readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> _commands = [];
    private volatile bool _disposed;

    public async Task<SqliteConnection> RentAsync(CancellationToken cancellationToken)
    {
        if (_idle.TryTake(out var connection))
        {
            return connection;
        }

        connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; PRAGMA foreign_keys = ON;{(wal ? " PRAGMA synchronous = NORMAL;" : "")}");
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The connection's command for <paramref name="sql"/>, created and prepared once and reused (SQLite keeps a
    /// command's compiled statements until its text changes); its parameters and transaction are reset. Never dispose it:
    /// it goes with the connection.</summary>
    public SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var cache = _commands.GetOrCreateValue(connection);
        if (!cache.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            cache[sql] = command;
        }

        command.Parameters.Clear();
        command.Transaction = null;
        return command;
    }

    public async ValueTask ReturnAsync(SqliteConnection connection)
    {
        if (_disposed || connection.State != System.Data.ConnectionState.Open || _idle.Count >= MaxIdle)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            return;
        }

        _idle.Add(connection);
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (_idle.TryTake(out var connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
