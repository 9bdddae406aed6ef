using Microsoft.Data.Sqlite;
using Npgsql;
using StackExchange.Redis;

namespace OrleansMemory.Storage.Benchmarks;

/// <summary>What a hand-written application would do without the provider: one upsert / one read per operation on a
/// pooled connection, same server, same payload.</summary>
internal interface IBaseline : IAsyncDisposable
{
    Task WriteAsync(string key, byte[] payload);

    Task ReadAsync(string key);
}

internal sealed class SqliteBaseline : IBaseline
{
    private readonly string _connectionString;
    private readonly string _synchronous;

    /// <summary>WAL; <c>synchronous=FULL</c> when <paramref name="durable"/> (as the provider with DurableCommits), else NORMAL.</summary>
    public SqliteBaseline(string path, bool durable)
    {
        _synchronous = durable ? "FULL" : "NORMAL";
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS raw_upsert (k TEXT PRIMARY KEY, v BLOB NOT NULL)");
    }

    public async Task WriteAsync(string key, byte[] payload)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO raw_upsert (k, v) VALUES (@k, @v) ON CONFLICT (k) DO UPDATE SET v = excluded.v";
        command.Parameters.AddWithValue("@k", key);
        command.Parameters.AddWithValue("@v", payload);
        await command.ExecuteNonQueryAsync();
    }

    public async Task ReadAsync(string key)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT v FROM raw_upsert WHERE k = @k";
        command.Parameters.AddWithValue("@k", key);
        await command.ExecuteScalarAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous=" + _synchronous);
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

internal sealed class PostgresBaseline(string connectionString, string schema) : IBaseline
{
    private readonly NpgsqlDataSource _dataSource = Create(connectionString, schema);

    public async Task WriteAsync(string key, byte[] payload)
    {
        await using var command = _dataSource.CreateCommand(
            $"INSERT INTO {schema}.raw_upsert (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = excluded.v");
        command.Parameters.AddWithValue(key);
        command.Parameters.AddWithValue(payload);
        await command.ExecuteNonQueryAsync();
    }

    public async Task ReadAsync(string key)
    {
        await using var command = _dataSource.CreateCommand($"SELECT v FROM {schema}.raw_upsert WHERE k = $1");
        command.Parameters.AddWithValue(key);
        await command.ExecuteScalarAsync();
    }

    /// <summary>Drops the baseline's schema and <paramref name="alsoDrop"/> (the provider's), then closes.</summary>
    public async Task DropAsync(string alsoDrop)
    {
        await using var command = _dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE; DROP SCHEMA IF EXISTS {alsoDrop} CASCADE");
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static NpgsqlDataSource Create(string connectionString, string schema)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        using var command = dataSource.CreateCommand($"CREATE SCHEMA IF NOT EXISTS {schema}; CREATE TABLE IF NOT EXISTS {schema}.raw_upsert (k text PRIMARY KEY, v bytea NOT NULL)");
        command.ExecuteNonQuery();
        return dataSource;
    }
}

internal sealed class RedisBaseline(string configuration, string prefix) : IBaseline
{
    private readonly ConnectionMultiplexer _connection = ConnectionMultiplexer.Connect(configuration);

    /// <summary>The baseline's database, for the breakdown's script stage.</summary>
    public IDatabase Database => _connection.GetDatabase();

    public Task WriteAsync(string key, byte[] payload) => Database.StringSetAsync(prefix + key, payload);

    public Task ReadAsync(string key) => Database.StringGetAsync(prefix + key);

    public ValueTask DisposeAsync()
    {
        _connection.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A durable file write done by hand on the calling thread: temporary file, flush, rename, flush of the
/// directory (what makes the rename survive a power loss, as the provider does).</summary>
internal sealed class FileBaseline(string directory) : IBaseline
{
    public async Task WriteAsync(string key, byte[] payload)
    {
        var path = Path.Combine(directory, key + ".json");
        var temp = path + ".tmp";
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await stream.WriteAsync(payload);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
        DiskFlush.FlushDirectory(directory);
    }

    public Task ReadAsync(string key) => File.ReadAllBytesAsync(Path.Combine(directory, key + ".json"));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
