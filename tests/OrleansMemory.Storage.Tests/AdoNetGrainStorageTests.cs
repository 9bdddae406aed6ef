using Microsoft.Data.Sqlite;
using Npgsql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansMemory.Hosting;

namespace OrleansMemory.Storage.Tests;

public sealed class SqliteGrainStorageTests : CatalogConformanceTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("omem-sqlite-").FullName;

    private string DatabasePath => Path.Combine(_directory, "data", "connectome.db");

    protected override void Register(ISiloBuilder silo) =>
        silo.AddSqliteGrainStorage(ProviderName, o => o.ConnectionString = "Data Source=" + DatabasePath);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task The_schema_is_created_with_WAL_and_rows_carry_the_grain_type()
    {
        await WriteAsync(Storage, Id("x", "user"), "u", stateName: "memories/head");
        await WriteAsync(Storage, Id("c1"), "c", stateName: "memories/head");
        await using var connection = new SqliteConnection("Data Source=" + DatabasePath);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        command.CommandText = "SELECT GrainTypeString || ' ' || GrainIdExtensionString || ' ' || ServiceId FROM OrleansStorage ORDER BY 1";
        var rows = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["conversation/memories/head conversation/c1 orleansmemory", "user/memories/head user/x orleansmemory"], rows);
    }

    [Theory]
    [InlineData(null, 1)] // NORMAL with WAL: survives a killed process
    [InlineData("true", 2)] // FULL: every commit on disk before it is acknowledged
    public async Task Connections_flush_commits_as_configured_and_zero_what_is_deleted(string? durableCommits, long synchronous)
    {
        var path = Path.Combine(_directory, $"configured-{durableCommits}.db");
        var settings = new Dictionary<string, string?> { ["OrleansMemory:Storage:Type"] = "sqlite", ["OrleansMemory:Storage:DbPath"] = path,
            ["OrleansMemory:Storage:Timeout"] = "7", ["OrleansMemory:Storage:DurableCommits"] = durableCommits };
        await using var host = await StorageHost.StartAsync(s => s.AddAllGrainStorageBackends()
            .AddGrainStorageFromConfiguration("configured", new ConfigurationBuilder().AddInMemoryCollection(settings).Build()));
        await WriteAsync(host.GetStorage("configured"), Id("durable"), "d"); // through the queue when it is on
        var source = host.Services.GetRequiredService<IOptionsMonitor<Orleans.Configuration.AdoNetGrainStorageOptions>>()
            .Get(RelationalGrainStorageSiloBuilderExtensions.InnerProviderName("configured")).DataSource!;
        await using var connection = await source.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        long Pragma(string name)
        {
            command.CommandText = "PRAGMA " + name;
            return (long)command.ExecuteScalar()!;
        }

        Assert.Equal(synchronous, Pragma("synchronous"));
        Assert.Equal(1, Pragma("secure_delete"));
        Assert.Equal(7000, Pragma("busy_timeout"));
    }

    [Fact]
    public async Task Without_a_schema_and_without_CreateSchema_the_silo_stops_saying_how_to_create_it()
    {
        var path = Path.Combine(_directory, "empty.db");
        await File.WriteAllBytesAsync(path, []);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(s => s.AddSqliteGrainStorage("bare", o =>
        {
            o.ConnectionString = "Data Source=" + path;
            o.CreateSchema = false;
        })));
        Assert.Contains("omem db init", error.ToString());
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public async Task Applying_the_schema_again_is_harmless()
    {
        var written = await WriteAsync(Storage, Id("kept"), "kept");
        await AdoNetSchema.ApplySqliteAsync("Data Source=" + DatabasePath);
        var reopened = await ReopenAsync();
        Assert.Equal(written.ETag, (await ReadAsync(reopened, Id("kept"))).ETag);
    }
}

[RequiresServer(TestServers.Postgres)]
public sealed class PostgresGrainStorageTests : CatalogConformanceTests
{
    private readonly string _schema = $"omem_test_{TestServers.RunId}_{Guid.NewGuid():N}"[..50];

    private static string Server => TestServers.PostgresConnection;

    protected override bool StoresNulInKeys => false;

    protected override void Register(ISiloBuilder silo) => silo.AddPostgreSqlGrainStorage(ProviderName, o =>
    {
        o.ConnectionString = Server;
        o.Schema = _schema;
        o.CreateSchema = true;
    });

    protected override async Task CleanupAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(Server);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
        await command.ExecuteNonQueryAsync();
    }

    [StorageFact]
    public async Task Rows_carry_the_grain_type_so_equal_keys_of_different_types_do_not_collide()
    {
        await WriteAsync(Storage, Id("x", "user"), "u", stateName: "memories/head");
        await WriteAsync(Storage, Id("x"), "c", stateName: "memories/head");
        await using var dataSource = NpgsqlDataSource.Create(Server);
        await using var command = dataSource.CreateCommand(
            $"SELECT graintypestring || ' ' || grainidextensionstring || ' ' || serviceid || ' ' || version FROM {_schema}.orleansstorage ORDER BY 1");
        var rows = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["conversation/memories/head conversation/x orleansmemory 1", "user/memories/head user/x orleansmemory 1"], rows);
    }

    [StorageFact]
    public async Task Without_a_schema_the_silo_stops_saying_how_to_create_it_and_creates_nothing()
    {
        var empty = _schema[..40] + "_none";
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(s => s.AddPostgreSqlGrainStorage("bare", o =>
        {
            o.ConnectionString = Server;
            o.Schema = empty;
        })));
        Assert.Contains("omem db init", error.ToString());
        Assert.Contains("OrleansMemory:Storage:CreateSchema", error.ToString());
        await using var dataSource = NpgsqlDataSource.Create(Server);
        await using var command = dataSource.CreateCommand($"SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '{empty}'");
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    [StorageFact]
    public async Task Three_silos_applying_the_schema_at_once_all_start()
    {
        var schema = _schema[..40] + "_race";
        var connection = new NpgsqlConnectionStringBuilder(Server) { SearchPath = schema }.ConnectionString;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => AdoNetSchema.ApplyPostgreSqlAsync(connection)));
            await AdoNetSchema.ApplyPostgreSqlAsync(connection);
            await using var dataSource = NpgsqlDataSource.Create(Server);
            await using var command = dataSource.CreateCommand($"SELECT COUNT(*) FROM {schema}.orleansquery");
            Assert.Equal(20L, (long)(await command.ExecuteScalarAsync())!);
        }
        finally
        {
            await using var dataSource = NpgsqlDataSource.Create(Server);
            await using var drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
            await drop.ExecuteNonQueryAsync();
        }
    }
}
