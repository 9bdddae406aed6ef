using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OrleansMemory.AdoNet;
using OrleansMemory.Configuration;
using OrleansMemory.Hosting;
using OrleansMemory.Redis;

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
    public async Task Factory_builds_each_built_in_type()
    {
        var factory = new GrainStorageFactory();
        await using var sqlite = (AdoNetGrainStorage)factory.Create("s", Config(("CONNECTOME_STORAGE_TYPE", "sqlite"), ("CONNECTOME_STORAGE_DB_PATH", Path.Combine(_directory, "c.db"))));
        Assert.Contains("Microsoft.Data.Sqlite", await sqlite.ProbeAsync());
        var file = Assert.IsType<FileGrainStorage>(factory.Create("f", Config(("CONNECTOME_STORAGE_BASE_DIR", Path.Combine(_directory, "files")))));
        Assert.Equal(Path.Combine(_directory, "files"), file.RootDirectory);
        Assert.IsType<MemoryGrainStorage>(factory.Create("m", "memory:"));
        await using var redis = Assert.IsType<RedisGrainStorage>(factory.Create("r", "redis:127.0.0.1:6391?prefix=x:"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public void Settings_that_do_not_suit_the_backend_name_the_setting()
    {
        var factory = new GrainStorageFactory();
        var postgres = Assert.Throws<GrainStorageConfigurationException>(() => factory.Create("p", Config(("CONNECTOME_STORAGE_TYPE", "postgres"))));
        Assert.Contains("OrleansMemory:Storage:ConnectionString", postgres.Message);
        var unknown = Assert.Throws<GrainStorageConfigurationException>(() => factory.Create("u", Config(("CONNECTOME_STORAGE_TYPE", "mongo"))));
        Assert.Contains("CONNECTOME_STORAGE_TYPE='mongo'", unknown.Message);
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
    public async Task Silo_registration_validates_at_start_and_accepts_third_party_backends()
    {
        var custom = new MemoryGrainStorage(name: "custom");
        var services = new ServiceCollection().AddLogging();
        var silo = new TestSiloBuilder(services, Config());
        silo.AddGrainStorageBackend(new GrainStorageBackend("mine", (_, _, _) => custom));
        silo.AddGrainStorageFromConfiguration("good", Config(("CONNECTOME_STORAGE_TYPE", "mine")));
        silo.AddGrainStorageFromConfiguration("files", Config(("CONNECTOME_STORAGE_BASE_DIR", Path.Combine(_directory, "f"))));
        silo.AddGrainStorageFromConfiguration("bad", Config(("CONNECTOME_STORAGE_TYPE", "redis")));
        await using var provider = services.BuildServiceProvider();

        Assert.Same(custom, provider.GetRequiredKeyedService<IGrainStorage>("good"));
        var monitor = provider.GetRequiredService<IOptionsMonitor<ConfiguredGrainStorageOptions>>();
        var error = Assert.Throws<OptionsValidationException>(() => monitor.Get("bad"));
        Assert.Contains("Storage 'bad'", error.Message);
        Assert.Contains("ConnectionString", error.Message);

        var health = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "storage-files");
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Empty(await ((IGrainStorageCatalog)provider.GetRequiredKeyedService<IGrainStorage>("files")).ListGrainTypesAsync());
    }

    [Fact]
    public void Unparseable_values_stop_registration()
    {
        var silo = new TestSiloBuilder(new ServiceCollection(), Config());
        var error = Assert.Throws<GrainStorageConfigurationException>(() => silo.AddGrainStorageFromConfiguration("x", Config(("CONNECTOME_STORAGE_WAL_MODE", "sometimes"))));
        Assert.Contains("CONNECTOME_STORAGE_WAL_MODE", error.Message);
    }

    private sealed class TestSiloBuilder(IServiceCollection services, IConfiguration configuration) : ISiloBuilder
    {
        public IServiceCollection Services { get; } = services;

        public IConfiguration Configuration { get; } = configuration;
    }
}
