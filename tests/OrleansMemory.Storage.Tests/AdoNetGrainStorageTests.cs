using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using OrleansMemory.AdoNet;
using OrleansMemory.Configuration;

namespace OrleansMemory.Storage.Tests;

public sealed class SqliteGrainStorageTests : GrainStorageConformanceTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("omem-sqlite-").FullName;

    private string DatabasePath => Path.Combine(_directory, "connectome.db");

    protected override Task<IGrainStorage> OpenAsync() => Task.FromResult<IGrainStorage>(new AdoNetGrainStorage("sqlite", new AdoNetGrainStorageOptions
    {
        Invariant = AdoNetGrainStorageOptions.SqliteInvariant,
        ConnectionString = "Data Source=" + DatabasePath,
    }));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Database_uses_WAL_and_the_health_check_round_trips()
    {
        var storage = (AdoNetGrainStorage)Storage;
        var health = await new GrainStorageHealthCheck(storage.Name, storage).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, health.Status);
        await using var connection = new SqliteConnection("Data Source=" + DatabasePath);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        command.CommandText = "SELECT COUNT(*) FROM omem_grain_state";
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Shipped_schema_matches_the_created_one()
    {
        var shipped = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "deploy", "sql", "sqlite.sql"));
        foreach (var statement in AdoNetSql.SqliteSchema("omem_grain_state"))
        {
            Assert.Contains(Normalize(statement), Normalize(shipped), StringComparison.Ordinal);
        }
    }

    internal static string Normalize(string sql) => string.Join(' ', sql.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
}

[RequiresServer(TestServers.Postgres)]
public sealed class PostgresGrainStorageTests : GrainStorageConformanceTests
{
    private readonly string _schema = $"omem_test_{TestServers.RunId}_{Guid.NewGuid():N}"[..50];

    protected override Task<IGrainStorage> OpenAsync() => Task.FromResult<IGrainStorage>(new AdoNetGrainStorage("postgres", new AdoNetGrainStorageOptions
    {
        Invariant = AdoNetGrainStorageOptions.PostgresInvariant,
        ConnectionString = TestServers.Require(TestServers.Postgres),
        Schema = _schema,
    }));

    protected override async Task CleanupAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(TestServers.Require(TestServers.Postgres));
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
        await command.ExecuteNonQueryAsync();
    }

    [StorageFact]
    public async Task Json_payloads_are_queryable_as_jsonb_and_the_health_check_round_trips()
    {
        await WriteAsync(Storage, Id("j"), "queryable");
        var health = await new GrainStorageHealthCheck("postgres", Storage).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, health.Status);
        await using var dataSource = NpgsqlDataSource.Create(TestServers.Require(TestServers.Postgres));
        await using var command = dataSource.CreateCommand($"SELECT payload_json->>'text', COUNT(*) OVER () FROM {_schema}.omem_grain_state");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("queryable", reader.GetString(0));
        Assert.Equal(1L, reader.GetInt64(1));
    }

    [StorageFact]
    public async Task Shipped_schema_matches_the_created_one()
    {
        var shipped = SqliteGrainStorageTests.Normalize(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "deploy", "sql", "postgres.sql")));
        foreach (var statement in AdoNetSql.PostgresSchema(null, "omem_grain_state", "omem_grain_state"))
        {
            Assert.Contains(SqliteGrainStorageTests.Normalize(statement).Replace("IF NOT EXISTS ", "", StringComparison.Ordinal), shipped.Replace("IF NOT EXISTS ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }
}
