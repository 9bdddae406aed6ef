using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansMemory.AdoNet;
using OrleansMemory.Configuration;

namespace OrleansMemory.Hosting;

/// <summary>Registers ADO.NET (SQLite, PostgreSQL) grain storage.</summary>
public static class AdoNetSiloBuilderExtensions
{
    /// <summary>Keeps grain state in SQLite or PostgreSQL under the provider name <paramref name="name"/>, with a health
    /// check named <c>storage-{name}</c>. The options are validated when the host starts (every failure at once).</summary>
    public static ISiloBuilder AddAdoNetGrainStorage(this ISiloBuilder builder, string name, Action<AdoNetGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<AdoNetGrainStorageOptions>(name).Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdoNetGrainStorageOptions>, AdoNetGrainStorageOptionsValidator>());
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            "storage-" + name,
            sp => new Storage.GrainStorageHealthCheck(name, sp.GetRequiredKeyedService<IGrainStorage>(name)),
            failureStatus: null,
            tags: ["storage"]));
        return builder.AddGrainStorage(name, static (sp, key) => new AdoNetGrainStorage(
            key,
            sp.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(key),
            sp.GetService<IGrainStorageSerializer>(),
            sp.GetRequiredService<ILogger<AdoNetGrainStorage>>()));
    }

    /// <summary>Keeps grain state in the SQLite database file <paramref name="databasePath"/> (WAL mode).</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, string databasePath, Action<AdoNetGrainStorageOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        return builder.AddAdoNetGrainStorage(name, o =>
        {
            o.Invariant = AdoNetGrainStorageOptions.SqliteInvariant;
            o.ConnectionString = "Data Source=" + databasePath;
            configure?.Invoke(o);
        });
    }

    /// <summary>Keeps grain state in PostgreSQL (Npgsql connection string).</summary>
    public static ISiloBuilder AddPostgresGrainStorage(this ISiloBuilder builder, string name, string connectionString, Action<AdoNetGrainStorageOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.AddAdoNetGrainStorage(name, o =>
        {
            o.Invariant = AdoNetGrainStorageOptions.PostgresInvariant;
            o.ConnectionString = connectionString;
            configure?.Invoke(o);
        });
    }
}
