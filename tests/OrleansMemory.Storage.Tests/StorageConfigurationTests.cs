using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OrleansMemory.Hosting;

namespace OrleansMemory.Storage.Tests;

public sealed class StorageConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("omem-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Defaults_are_those_of_the_earlier_design()
    {
        var settings = GrainStorageConfiguration.Read(Config());
        Assert.Equal("file", settings.Type);
        Assert.Equal("./storage_data", settings.BaseDirectory);
        Assert.Equal("./storage_data/connectome.db", settings.DbPath);
        Assert.True(settings.CreateBackups);
        Assert.True(settings.PrettyJson);
        Assert.True(settings.WalMode);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Timeout);
        Assert.Equal(5, settings.MaxBackups);
        Assert.Equal((null, null, ""), (settings.ServiceId, settings.CreateSchema, settings.KeyPrefix));
        Assert.Equal("orleansmemory", GrainStorageDefaults.ServiceId);
    }

    [Theory]
    [InlineData("Host=db;Username=u", null, "32", null, true)]
    [InlineData("Host=db;Username=u;Max Auto Prepare=0;No Reset On Close=false", "memory", "0", "memory", false)]
    [InlineData("Host=db;Username=u;MaxAutoPrepare=5;NoResetOnClose=false", null, "5", null, false)]
    public void PostgreSql_connections_prepare_statements_and_skip_the_reset_unless_told_otherwise(string given, string? schema, string maxAutoPrepare,
        string? searchPath, bool noReset)
    {
        var options = new RelationalGrainStorageOptions { ConnectionString = given, Schema = schema };
        var effective = new Npgsql.NpgsqlConnectionStringBuilder(options.EffectiveConnectionString);
        Assert.Equal((int.Parse(maxAutoPrepare, System.Globalization.CultureInfo.InvariantCulture), searchPath, "db", noReset),
            (effective.MaxAutoPrepare, effective.SearchPath, effective.Host, effective.NoResetOnClose));
        var sqlite = new RelationalGrainStorageOptions { Invariant = RelationalGrainStorageOptions.SqliteInvariant, ConnectionString = "Data Source=x.db" };
        Assert.Equal("Data Source=x.db", sqlite.EffectiveConnectionString);
    }

    [Fact]
    public void Service_id_schema_and_schema_creation_have_aliases()
    {
        var settings = GrainStorageConfiguration.Read(Config(
            ("CONNECTOME_STORAGE_SERVICE_ID", "svc"), ("CONNECTOME_STORAGE_SCHEMA", "memory"), ("CONNECTOME_STORAGE_CREATE_SCHEMA", "yes"),
            ("CONNECTOME_STORAGE_KEY_PREFIX", "p:")));
        Assert.Equal(("svc", "memory", (bool?)true, "p:"), (settings.ServiceId, settings.Schema, settings.CreateSchema, settings.KeyPrefix));
    }

    [Fact]
    public void Aliases_are_honoured_and_the_standard_section_wins()
    {
        var settings = GrainStorageConfiguration.Read(Config(
            ("CONNECTOME_STORAGE_TYPE", "SQLite"), ("CONNECTOME_STORAGE_DB_PATH", "/x/y.db"), ("CONNECTOME_STORAGE_WAL_MODE", "false"),
            ("CONNECTOME_STORAGE_TIMEOUT", "12.5"), ("CONNECTOME_STORAGE_MAX_BACKUPS", "3"), ("CONNECTOME_STORAGE_CREATE_BACKUPS", "0"),
            ("CONNECTOME_STORAGE_PRETTY_JSON", "no"), ("CONNECTOME_STORAGE_BASE_DIR", "/alias"), ("OrleansMemory:Storage:BaseDirectory", "/standard")));
        Assert.Equal("sqlite", settings.Type);
        Assert.Equal("/x/y.db", settings.DbPath);
        Assert.False(settings.WalMode);
        Assert.Equal(TimeSpan.FromSeconds(12.5), settings.Timeout);
        Assert.Equal(3, settings.MaxBackups);
        Assert.False(settings.CreateBackups);
        Assert.False(settings.PrettyJson);
        Assert.Equal("/standard", settings.BaseDirectory);
    }

    [Fact]
    public void Bad_values_are_all_reported_by_the_setting_that_holds_them()
    {
        var error = Assert.Throws<GrainStorageConfigurationException>(() => GrainStorageConfiguration.Read(Config(
            ("CONNECTOME_STORAGE_TIMEOUT", "soon"), ("CONNECTOME_STORAGE_MAX_BACKUPS", "0"), ("OrleansMemory:Storage:CreateBackups", "maybe"))));
        Assert.Contains("CONNECTOME_STORAGE_TIMEOUT='soon'", error.Message);
        Assert.Contains("CONNECTOME_STORAGE_MAX_BACKUPS='0'", error.Message);
        Assert.Contains("OrleansMemory:Storage:CreateBackups='maybe'", error.Message);
    }

    [Fact]
    public async Task Each_built_in_type_registers_a_working_provider_from_configuration()
    {
        var files = Path.Combine(_directory, "files");
        await using var host = await StorageHost.StartAsync(silo =>
        {
            silo.AddAllGrainStorageBackends().AddGrainStorageFromConfiguration("sqlite", Config(("CONNECTOME_STORAGE_TYPE", "sqlite"), ("CONNECTOME_STORAGE_DB_PATH", Path.Combine(_directory, "c.db"))));
            silo.AddAllGrainStorageBackends().AddGrainStorageFromConfiguration("file", Config(("CONNECTOME_STORAGE_BASE_DIR", files)));
            silo.AddAllGrainStorageBackends().AddGrainStorageFromConfiguration("memory", Config(("OrleansMemory:Storage:Type", "memory")));
        });
        foreach (var name in new[] { "sqlite", "file", "memory" })
        {
            Assert.Contains("round trip ok", await GrainStorageProbe.ProbeAsync(host.GetStorage(name)));
        }

        Assert.Equal(files, Assert.IsType<FileGrainStorage>(host.GetStorage("file")).RootDirectory);
        Assert.IsType<TypePrefixedGrainStorage>(host.GetStorage("sqlite"));
        Assert.NotNull(host.GetCatalog("sqlite"));
        Assert.Null(host.GetCatalog("memory"));
        var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name.StartsWith("storage-", StringComparison.Ordinal));
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Equal(["storage-file", "storage-memory", "storage-sqlite"], health.Entries.Keys.Order(StringComparer.Ordinal));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task The_storage_serializer_is_System_Text_Json_with_the_stored_conventions()
    {
        await using var host = await StorageHost.StartAsync(silo => silo.AddAllGrainStorageBackends().AddGrainStorageFromConfiguration("m", Config(("CONNECTOME_STORAGE_TYPE", "memory"))));
        var serializer = host.Services.GetRequiredService<IGrainStorageSerializer>();
        Assert.IsType<SystemTextJsonGrainStorageSerializer>(serializer);
        var json = serializer.Serialize(new PlainInner("é", 2) with { }).ToString();
        Assert.Equal("{\"label\":\"\\u00E9\",\"count\":2}", json);
        Assert.Contains("\"mood\":\"very_happy\"", serializer.Serialize(PlainRecordState.Sample()).ToString());
    }

    [Fact]
    public async Task Settings_that_do_not_suit_the_backend_stop_the_silo_naming_the_setting()
    {
        var postgres = await Assert.ThrowsAsync<OptionsValidationException>(() => StorageHost.StartAsync(silo =>
            silo.AddAllGrainStorageBackends().AddGrainStorageFromConfiguration("p", Config(("CONNECTOME_STORAGE_TYPE", "postgres")))));
        Assert.Contains("OrleansMemory:Storage:ConnectionString", postgres.Message);
        var unknown = await Assert.ThrowsAsync<OptionsValidationException>(() => StorageHost.StartAsync(silo =>
            silo.AddAllGrainStorageBackends().AddGrainStorageFromConfiguration("u", Config(("CONNECTOME_STORAGE_TYPE", "mongo")))));
        Assert.Contains("CONNECTOME_STORAGE_TYPE='mongo'", unknown.Message);
        var redis = await Assert.ThrowsAsync<OptionsValidationException>(() => StorageHost.StartAsync(silo =>
            silo.AddAllGrainStorageBackends().AddGrainStorageFromConfiguration("r", Config(("CONNECTOME_STORAGE_TYPE", "redis"), ("CONNECTOME_STORAGE_CONNECTION_STRING", "127.0.0.1:6379,nonsense=1")))));
        Assert.Contains("CONNECTOME_STORAGE_CONNECTION_STRING", redis.Message);
    }

    [Fact]
    public void Uris_parse_into_settings()
    {
        Assert.Equal("./storage_data", GrainStorageUri.Parse("file:./storage_data").BaseDirectory);
        Assert.Equal("./connectome.db", GrainStorageUri.Parse("sqlite:./connectome.db").DbPath);
        var postgres = GrainStorageUri.Parse("postgres:Host=127.0.0.1;Port=5433;Username=postgres?schema=s1");
        Assert.Equal(("postgres", "Host=127.0.0.1;Port=5433;Username=postgres", "s1"), (postgres.Type, postgres.ConnectionString, postgres.Schema));
        var redis = GrainStorageUri.Parse("redis:127.0.0.1:6379?prefix=a:b:");
        Assert.Equal(("redis", "127.0.0.1:6379", "a:b:"), (redis.Type, redis.ConnectionString, redis.KeyPrefix));
        Assert.Equal("Password=a?b", GrainStorageUri.Parse("postgres:Password=a?b").ConnectionString);
        Assert.Throws<GrainStorageConfigurationException>(() => GrainStorageUri.Parse("./storage_data"));
    }

    [Fact]
    public async Task Third_party_backends_register_by_type_name()
    {
        await using var host = await StorageHost.StartAsync(silo =>
        {
            silo.AddGrainStorageBackend(new MemoryBackend());
            silo.AddAllGrainStorageBackends().AddGrainStorageFromConfiguration("good", Config(("CONNECTOME_STORAGE_TYPE", "mine")));
        });
        Assert.Contains("round trip ok", await GrainStorageProbe.ProbeAsync(host.GetStorage("good")));
    }

    [Fact]
    public void Unparseable_values_stop_registration()
    {
        var silo = new TestSiloBuilder(new ServiceCollection(), Config());
        var error = Assert.Throws<GrainStorageConfigurationException>(() => silo.AddAllGrainStorageBackends().AddGrainStorageFromConfiguration("x", Config(("CONNECTOME_STORAGE_WAL_MODE", "sometimes"))));
        Assert.Contains("CONNECTOME_STORAGE_WAL_MODE", error.Message);
    }

    private sealed class MemoryBackend : IGrainStorageBackend
    {
        public string Type => "mine";

        public IEnumerable<string> Validate(GrainStorageSettings settings) => [];

        public void Register(ISiloBuilder builder, string name, GrainStorageSettings settings) => builder.AddMemoryGrainStorage(name);
    }

    private sealed class TestSiloBuilder(IServiceCollection services, IConfiguration configuration) : ISiloBuilder
    {
        public IServiceCollection Services { get; } = services;

        public IConfiguration Configuration { get; } = configuration;
    }
}
