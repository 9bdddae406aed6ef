using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OrleansMemory.AdoNet;
using OrleansMemory.Configuration;
using OrleansMemory.Hosting;

namespace OrleansMemory.Storage.Tests;

public sealed class ProviderRegistrationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("omem-reg-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Providers_register_by_name_with_catalog_health_check_and_validated_options()
    {
        var services = new ServiceCollection().AddLogging();
        var silo = new Silo(services);
        silo.AddSqliteGrainStorage("sqlite", Path.Combine(_directory, "s.db"));
        silo.AddFileGrainStorage("files", o => o.BaseDirectory = Path.Combine(_directory, "files"));
        silo.AddAdoNetGrainStorage("bad-sql", o =>
        {
            o.Invariant = "System.Data.SqlClient";
            o.ConnectionString = "";
            o.TableName = "drop table";
            o.CommandTimeout = TimeSpan.Zero;
        });
        silo.AddRedisGrainStorage("bad-redis", o => o.ConfigurationString = "");
        silo.AddFileGrainStorage("bad-files", o => o.MaxBackupFiles = 0);
        await using var provider = services.BuildServiceProvider();

        await using var sqlite = (AdoNetGrainStorage)provider.GetRequiredKeyedService<IGrainStorage>("sqlite");
        Assert.Same(sqlite, provider.GetRequiredKeyedService<IGrainStorageCatalog>("sqlite"));
        var health = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name is "storage-sqlite");
        Assert.Equal(HealthStatus.Healthy, health.Status);

        var sql = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get("bad-sql"));
        Assert.Equal(4, sql.Failures.Count());
        Assert.Contains(sql.Failures, f => f.Contains("Invariant", StringComparison.Ordinal));
        Assert.Contains(sql.Failures, f => f.Contains("TableName", StringComparison.Ordinal));
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<RedisGrainStorageOptions>>().Get("bad-redis"));
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get("bad-files"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private sealed class Silo(IServiceCollection services) : ISiloBuilder
    {
        public IServiceCollection Services { get; } = services;

        public IConfiguration Configuration { get; } = new ConfigurationBuilder().Build();
    }
}
