using Microsoft.Data.Sqlite;
using Npgsql;

namespace OrleansMemory.Storage;

/// <summary>Applies OrleansMemory's schema scripts (deploy/sql, embedded in this assembly) that implement the Orleans
/// ADO.NET contract: tables, functions and the <c>OrleansQuery</c> rows Orleans' providers read at startup. Every
/// script is idempotent; on PostgreSQL they run in one transaction under an advisory lock, so several silos starting
/// at once may all apply them.</summary>
public static class AdoNetSchema
{
    /// <summary>The PostgreSQL scripts in the order they are applied: main, persistence, clustering, reminders.</summary>
    public static IReadOnlyList<string> PostgreSqlScripts { get; } =
        ["postgresql-main.sql", "postgresql-persistence.sql", "postgresql-clustering.sql", "postgresql-reminders.sql"];

    /// <summary>The SQLite scripts in the order they are applied: main, persistence (Orleans has no SQLite clustering).</summary>
    public static IReadOnlyList<string> SqliteScripts { get; } = ["sqlite-main.sql", "sqlite-persistence.sql"];

    // Any constant will do, as long as every silo and omem use the same one.
    private const long AdvisoryLockKey = 0x4F4D_454D_5343_4845;

    /// <summary>The text of an embedded script, by file name (for example <c>postgresql-main.sql</c>).</summary>
    public static string GetScript(string fileName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        using var stream = typeof(AdoNetSchema).Assembly.GetManifestResourceStream("OrleansMemory.Storage.Sql." + fileName)
            ?? throw new ArgumentException($"No schema script named '{fileName}'.", nameof(fileName));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Applies every PostgreSQL script (main, persistence, clustering, reminders) in one transaction under an
    /// advisory lock. The first schema of the connection's <c>Search Path</c>, if any, is created first.</summary>
    public static async Task ApplyPostgreSqlAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var schema = builder.SearchPath?.Split(',')[0].Trim().Trim('"');
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(schema))
        {
            var quoted = "\"" + schema.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            await ExecuteAsync(connection, transaction, $"CREATE SCHEMA IF NOT EXISTS {quoted}; SET LOCAL search_path TO {quoted}", cancellationToken).ConfigureAwait(false);
        }

        foreach (var script in PostgreSqlScripts)
        {
            await ExecuteAsync(connection, transaction, GetScript(script), cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies the SQLite scripts (main, persistence) in one transaction, creating the database file when the
    /// connection string allows it, and switches the database to write-ahead logging when <paramref name="walMode"/> is set.</summary>
    public static async Task ApplySqliteAsync(string connectionString, bool walMode = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode is SqliteOpenMode.ReadWriteCreate && !string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:"
            && Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        await using var connection = new SqliteConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (walMode)
        {
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var script in SqliteScripts)
        {
            await ExecuteAsync(connection, transaction, GetScript(script), cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies the scripts of <paramref name="invariant"/> (<see cref="RelationalGrainStorageOptions.PostgreSqlInvariant"/>
    /// or <see cref="RelationalGrainStorageOptions.SqliteInvariant"/>).</summary>
    public static Task ApplyAsync(string invariant, string connectionString, bool walMode = true, CancellationToken cancellationToken = default) =>
        invariant switch
        {
            RelationalGrainStorageOptions.PostgreSqlInvariant => ApplyPostgreSqlAsync(connectionString, cancellationToken),
            RelationalGrainStorageOptions.SqliteInvariant => ApplySqliteAsync(connectionString, walMode, cancellationToken),
            _ => throw new ArgumentException($"No schema scripts for the invariant '{invariant}'.", nameof(invariant)),
        };

    /// <summary>Checks that the database holds the schema Orleans' storage provider needs (the persistence rows of
    /// <c>OrleansQuery</c>, including <c>DeleteStorageKey</c>); throws an error that says how to create it otherwise.
    /// Creates nothing.</summary>
    /// <exception cref="InvalidOperationException">The schema is missing or incomplete, or the database cannot be opened.</exception>
    public static async Task VerifyStorageAsync(string invariant, string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        System.Data.Common.DbConnection connection = invariant == RelationalGrainStorageOptions.PostgreSqlInvariant
            ? new NpgsqlConnection(connectionString)
            : new SqliteConnection(connectionString);
        await using (connection.ConfigureAwait(false))
        {
            long found;
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT COUNT(*) FROM OrleansQuery WHERE QueryKey IN ('WriteToStorageKey', 'ReadFromStorageKey', 'ClearStorageKey', 'DeleteStorageKey')";
                found = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (System.Data.Common.DbException ex)
            {
                throw new InvalidOperationException(
                    $"The database ({Redacted(invariant, connectionString)}) has no usable OrleansMemory schema: {ex.Message} Run `omem db init` against it, or set OrleansMemory:Storage:CreateSchema=true.", ex);
            }

            if (found < 4)
            {
                throw new InvalidOperationException(
                    $"The database ({Redacted(invariant, connectionString)}) lacks OrleansMemory's persistence queries in OrleansQuery ({found} of 4). Run `omem db init` against it, or set OrleansMemory:Storage:CreateSchema=true.");
            }
        }
    }

    private static string Redacted(string invariant, string connectionString)
    {
        if (invariant != RelationalGrainStorageOptions.PostgreSqlInvariant)
        {
            return "SQLite " + new SqliteConnectionStringBuilder(connectionString).DataSource;
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Password = null };
        return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}" + (string.IsNullOrEmpty(builder.SearchPath) ? string.Empty : $" search path {builder.SearchPath}");
    }

    private static async Task ExecuteAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
