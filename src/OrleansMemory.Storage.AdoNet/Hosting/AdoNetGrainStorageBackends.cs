using Microsoft.Data.Sqlite;
using Npgsql;
using OrleansMemory.Storage;

namespace OrleansMemory.Hosting;

/// <summary>The storage types sqlite and postgres for <c>AddGrainStorageFromConfiguration</c>.</summary>
public static class AdoNetGrainStorageBackends
{
    /// <summary>SQLite through Orleans' ADO.NET provider.</summary>
    public static IGrainStorageBackend Sqlite { get; } = new GrainStorageBackend("sqlite",
        static s => BuiltInGrainStorageBackends.RequiredConnectionString(s, string.IsNullOrWhiteSpace(s.ConnectionString) ? "DbPath" : "ConnectionString",
            SqliteConnectionString(s), static c => _ = new SqliteConnectionStringBuilder(c)),
        static (b, n, s) => b.AddSqliteGrainStorage(n, o => Relational(s, o, SqliteConnectionString(s), s.CreateIfMissing && (s.CreateSchema ?? true))));

    /// <summary>PostgreSQL through Orleans' ADO.NET provider.</summary>
    public static IGrainStorageBackend Postgres { get; } = new GrainStorageBackend("postgres",
        static s => BuiltInGrainStorageBackends.RequiredConnectionString(s, "ConnectionString", PostgresConnectionString(s), static c => _ = new NpgsqlConnectionStringBuilder(c)),
        static (b, n, s) => b.AddPostgreSqlGrainStorage(n, o => Relational(s, o, PostgresConnectionString(s), s.CreateIfMissing && (s.CreateSchema ?? false))));

    /// <summary>Makes the storage types sqlite and postgres available to <c>AddGrainStorageFromConfiguration</c>; call it first.</summary>
    public static ISiloBuilder AddAdoNetGrainStorageBackends(this ISiloBuilder builder) =>
        builder.AddGrainStorageBackend(Sqlite).AddGrainStorageBackend(Postgres);

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
        o.DurableCommits = s.DurableCommits;
        o.Schema = s.Schema;
        o.ServiceId = s.ServiceId;
    }
}
