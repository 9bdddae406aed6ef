using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansMemory.AdoNet;
using OrleansMemory.Configuration;
using OrleansMemory.Redis;

namespace OrleansMemory.Storage;

/// <summary>The backends every <see cref="GrainStorageFactory"/> knows: file, sqlite, postgres, redis, memory.</summary>
public static class BuiltInGrainStorageBackends
{
    /// <summary>All built-in backends.</summary>
    public static IReadOnlyList<IGrainStorageBackend> All { get; } =
    [
        new GrainStorageBackend("file", static (name, s, sp) => new FileGrainStorage(name, File(s), null, Logger<FileGrainStorage>(sp)),
            static s => FileGrainStorageOptionsValidator.Failures("file", File(s)).Select(f => Name(s, f, ("BaseDirectory", "BaseDirectory"), ("MaxBackupFiles", "MaxBackups")))),
        new GrainStorageBackend("sqlite", static (name, s, sp) => new AdoNetGrainStorage(name, Sqlite(s), Serializer(sp, false), Logger<AdoNetGrainStorage>(sp)),
            static s => AdoNetGrainStorageOptionsValidator.Failures("sqlite", Sqlite(s)).Select(f => Name(s, f, ("ConnectionString", "DbPath"), ("CommandTimeout", "Timeout")))),
        new GrainStorageBackend("postgres", static (name, s, sp) => new AdoNetGrainStorage(name, Postgres(s), Serializer(sp, false), Logger<AdoNetGrainStorage>(sp)),
            static s => AdoNetGrainStorageOptionsValidator.Failures("postgres", Postgres(s)).Select(f => Name(s, f, ("ConnectionString", "ConnectionString"), ("CommandTimeout", "Timeout"), ("Schema", "Schema")))),
        new GrainStorageBackend("redis", static (name, s, sp) => new RedisGrainStorage(name, Redis(s), Serializer(sp, false), Logger<RedisGrainStorage>(sp)),
            static s => RedisGrainStorageOptionsValidator.Failures("redis", Redis(s)).Select(f => Name(s, f, ("ConfigurationString", "ConnectionString"), ("KeyPrefix", "KeyPrefix")))),
        new GrainStorageBackend("memory", static (name, _, sp) => new MemoryGrainStorage(Serializer(sp, false), name)),
    ];

    /// <summary>File storage options from settings.</summary>
    public static FileGrainStorageOptions File(GrainStorageSettings s) => new()
    {
        BaseDirectory = s.BaseDirectory,
        CreateBackups = s.CreateBackups,
        MaxBackupFiles = s.MaxBackups,
        PrettyPrintJson = s.PrettyJson,
    };

    /// <summary>SQLite options from settings; a connection string, when given, wins over the database path.</summary>
    public static AdoNetGrainStorageOptions Sqlite(GrainStorageSettings s) => new()
    {
        Invariant = AdoNetGrainStorageOptions.SqliteInvariant,
        ConnectionString = s.ConnectionString ?? (string.IsNullOrWhiteSpace(s.DbPath) ? string.Empty : "Data Source=" + s.DbPath),
        EnableWalMode = s.WalMode,
        CommandTimeout = s.Timeout,
        ServiceId = s.ServiceId,
    };

    /// <summary>PostgreSQL options from settings.</summary>
    public static AdoNetGrainStorageOptions Postgres(GrainStorageSettings s) => new()
    {
        Invariant = AdoNetGrainStorageOptions.PostgresInvariant,
        ConnectionString = s.ConnectionString ?? string.Empty,
        CommandTimeout = s.Timeout,
        ServiceId = s.ServiceId,
        Schema = s.Schema,
    };

    /// <summary>Redis options from settings.</summary>
    public static RedisGrainStorageOptions Redis(GrainStorageSettings s) => new()
    {
        ConfigurationString = s.ConnectionString ?? string.Empty,
        KeyPrefix = s.KeyPrefix,
    };

    // Provider validators name their own option; tell the operator which setting (or alias) to fix.
    private static string Name(GrainStorageSettings s, string failure, params (string Option, string Setting)[] map)
    {
        foreach (var (option, setting) in map)
        {
            if (failure.Contains(option, StringComparison.Ordinal))
            {
                return $"{s.SourceOf(setting)}: {failure}";
            }
        }

        return failure;
    }

    private static IGrainStorageSerializer Serializer(IServiceProvider? services, bool indented) =>
        indented ? new JsonGrainStorageSerializer(writeIndented: true) : services?.GetService<IGrainStorageSerializer>() ?? new JsonGrainStorageSerializer();

    private static ILogger<T>? Logger<T>(IServiceProvider? services) => services?.GetService<ILogger<T>>();
}
