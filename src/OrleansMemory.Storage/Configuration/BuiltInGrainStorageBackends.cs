using Microsoft.Data.Sqlite;
using Npgsql;
using OrleansMemory.Hosting;
using StackExchange.Redis;

namespace OrleansMemory.Storage;

/// <summary>The backends <c>AddGrainStorageFromConfiguration</c> always knows: file, sqlite, postgres, redis, memory.</summary>
public static class BuiltInGrainStorageBackends
{
    /// <summary>All built-in backends.</summary>
    public static IReadOnlyList<IGrainStorageBackend> All { get; } =
    [
        new Backend("file", static s => FileGrainStorageOptionsValidator.Failures("file", File(s)).Select(f => Name(s, f, ("BaseDirectory", "BaseDirectory"), ("MaxBackupFiles", "MaxBackups"))),
            static (b, n, s) => b.AddFileGrainStorage(n, o => Copy(File(s), o))),
        new Backend("sqlite", static s => Required(s, string.IsNullOrWhiteSpace(s.ConnectionString) ? "DbPath" : "ConnectionString", SqliteConnectionString(s), Sqlite),
            static (b, n, s) => b.AddSqliteGrainStorage(n, o => Relational(s, o, SqliteConnectionString(s), s.CreateIfMissing && (s.CreateSchema ?? true)))),
        new Backend("postgres", static s => Required(s, "ConnectionString", PostgresConnectionString(s), Postgres),
            static (b, n, s) => b.AddPostgreSqlGrainStorage(n, o => Relational(s, o, PostgresConnectionString(s), s.CreateIfMissing && (s.CreateSchema ?? false)))),
        new Backend("redis", static s => Required(s, "ConnectionString", s.ConnectionString ?? string.Empty, Redis),
            static (b, n, s) => b.AddIndexedRedisGrainStorage(n, o =>
            {
                o.ConnectionString = s.ConnectionString ?? string.Empty;
                o.KeyPrefix = s.KeyPrefix;
                o.ServiceId = s.ServiceId;
            })),
        new Backend("memory", static _ => [], static (b, n, _) => b.UseMemoryStateJson().AddMemoryGrainStorage(n)),
    ];

    /// <summary>File storage options from settings.</summary>
    public static FileGrainStorageOptions File(GrainStorageSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new()
        {
            BaseDirectory = s.BaseDirectory,
            CreateBackups = s.CreateBackups,
            MaxBackupFiles = s.MaxBackups,
            PrettyPrintJson = s.PrettyJson,
            CreateBaseDirectory = s.CreateIfMissing,
        };
    }

    /// <summary>The SQLite connection string: <see cref="GrainStorageSettings.ConnectionString"/> when given, else one
    /// for <see cref="GrainStorageSettings.DbPath"/>; the busy timeout is <see cref="GrainStorageSettings.Timeout"/>.</summary>
    public static string SqliteConnectionString(GrainStorageSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (string.IsNullOrWhiteSpace(s.ConnectionString) && string.IsNullOrWhiteSpace(s.DbPath))
        {
            return string.Empty;
        }

        try
        {
            var builder = string.IsNullOrWhiteSpace(s.ConnectionString)
                ? new SqliteConnectionStringBuilder { DataSource = s.DbPath, DefaultTimeout = (int)Math.Ceiling(s.Timeout.TotalSeconds) }
                : new SqliteConnectionStringBuilder(s.ConnectionString);
            if (!s.CreateIfMissing && builder.Mode == SqliteOpenMode.ReadWriteCreate)
            {
                builder.Mode = SqliteOpenMode.ReadWrite; // a mistyped path is an error, not a new empty database
            }

            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return s.ConnectionString ?? string.Empty; // reported by validation
        }
    }

    /// <summary>The PostgreSQL connection string with the command timeout of the settings.</summary>
    public static string PostgresConnectionString(GrainStorageSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (string.IsNullOrWhiteSpace(s.ConnectionString))
        {
            return string.Empty;
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(s.ConnectionString);
            if (s.Sources.ContainsKey("Timeout"))
            {
                builder.CommandTimeout = (int)Math.Ceiling(s.Timeout.TotalSeconds);
            }

            return builder.ConnectionString;
        }
        catch (ArgumentException)
        {
            return s.ConnectionString; // reported by validation
        }
    }

    private static void Relational(GrainStorageSettings s, RelationalGrainStorageOptions o, string connectionString, bool createSchema)
    {
        o.ConnectionString = connectionString;
        o.CreateSchema = createSchema;
        o.WalMode = s.WalMode;
        o.Schema = s.Schema;
        o.ServiceId = s.ServiceId;
    }

    private static void Copy(FileGrainStorageOptions from, FileGrainStorageOptions to)
    {
        to.BaseDirectory = from.BaseDirectory;
        to.CreateBackups = from.CreateBackups;
        to.MaxBackupFiles = from.MaxBackupFiles;
        to.PrettyPrintJson = from.PrettyPrintJson;
        to.CreateBaseDirectory = from.CreateBaseDirectory;
    }

    private static void Sqlite(string connectionString) => _ = new SqliteConnectionStringBuilder(connectionString);

    private static void Postgres(string connectionString) => _ = new NpgsqlConnectionStringBuilder(connectionString);

    private static void Redis(string connectionString) => _ = ConfigurationOptions.Parse(connectionString);

    private static IEnumerable<string> Required(GrainStorageSettings s, string setting, string value, Action<string> parse)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [$"{s.SourceOf(setting)} must be set for storage type '{s.Type}'."];
        }

        try
        {
            parse(value);
            return [];
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException or RedisException)
        {
            return [$"{s.SourceOf(setting)} is not a valid connection string for storage type '{s.Type}': {ex.Message}"];
        }
    }

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

    private sealed class Backend(string type, Func<GrainStorageSettings, IEnumerable<string>> validate, Action<ISiloBuilder, string, GrainStorageSettings> register) : IGrainStorageBackend
    {
        public string Type { get; } = type;

        public IEnumerable<string> Validate(GrainStorageSettings settings) => validate(settings);

        public void Register(ISiloBuilder builder, string name, GrainStorageSettings settings) => register(builder, name, settings);
    }
}
