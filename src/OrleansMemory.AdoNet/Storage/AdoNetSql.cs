using OrleansMemory.Configuration;

namespace OrleansMemory.AdoNet;

/// <summary>The SQL statements of one dialect. Every conditional write is one statement: the ETag (the version column)
/// is checked in its WHERE clause and the new version comes back through RETURNING, so there is no read-then-write
/// window. A cleared record stays as a tombstone (payload NULL, version bumped), so an old ETag never matches again.</summary>
internal sealed class AdoNetSql
{
    private const string Key = "service_id = @service AND grain_type = @type AND grain_key = @key AND state_name = @state";

    private AdoNetSql(string table, bool postgres, bool jsonb)
    {
        IsPostgres = postgres;
        UsesJsonb = postgres && jsonb;
        var jsonSet = UsesJsonb ? ", payload_json = CAST(@json AS jsonb)" : string.Empty;
        var jsonClear = UsesJsonb ? ", payload_json = NULL" : string.Empty;
        var length = postgres ? "octet_length" : "length";
        Read = $"SELECT version, payload, modified_at FROM {table} WHERE {Key} AND payload IS NOT NULL";
        Update = $"""
            UPDATE {table} SET payload = @payload{jsonSet}, version = version + 1, modified_at = @modified
            WHERE {Key} AND version = @version AND payload IS NOT NULL
            RETURNING version
            """;
        Insert = $"""
            INSERT INTO {table} AS g (service_id, grain_type, grain_key, state_name, version, payload{(UsesJsonb ? ", payload_json" : "")}, modified_at)
            VALUES (@service, @type, @key, @state, 1, @payload{(UsesJsonb ? ", CAST(@json AS jsonb)" : "")}, @modified)
            ON CONFLICT (service_id, grain_type, grain_key, state_name) DO UPDATE
            SET payload = excluded.payload{(UsesJsonb ? ", payload_json = excluded.payload_json" : "")}, version = g.version + 1, modified_at = excluded.modified_at
            WHERE g.payload IS NULL
            RETURNING version
            """;
        Clear = $"""
            UPDATE {table} SET payload = NULL{jsonClear}, version = version + 1, modified_at = @modified
            WHERE {Key} AND version = @version AND payload IS NOT NULL
            RETURNING version
            """;
        ListTypes = $"SELECT DISTINCT grain_type FROM {table} WHERE service_id = @service AND payload IS NOT NULL";
        ListKeys = $"""
            SELECT DISTINCT grain_key FROM {table}
            WHERE service_id = @service AND grain_type = @type AND payload IS NOT NULL AND (@after IS NULL OR grain_key > @after)
            ORDER BY grain_key LIMIT @limit
            """;
        ListStates = $"SELECT state_name FROM {table} WHERE service_id = @service AND grain_type = @type AND grain_key = @key AND payload IS NOT NULL";
        DeleteGrain = $"""
            UPDATE {table} SET payload = NULL{jsonClear}, version = version + 1, modified_at = @modified
            WHERE service_id = @service AND grain_type = @type AND grain_key = @key AND payload IS NOT NULL
            """;
        Statistics = $"""
            SELECT grain_type, COUNT(DISTINCT grain_key), COUNT(*), COALESCE(SUM({length}(payload)), 0)
            FROM {table} WHERE service_id = @service AND payload IS NOT NULL GROUP BY grain_type
            """;
        Probe = $"""
            INSERT INTO {table} (service_id, grain_type, grain_key, state_name, version, payload, modified_at)
            VALUES (@service, @type, @key, @state, 1, @payload, @modified)
            ON CONFLICT (service_id, grain_type, grain_key, state_name) DO NOTHING
            """;
    }

    public bool IsPostgres { get; }

    public bool UsesJsonb { get; }

    public string Read { get; }

    public string Update { get; }

    public string Insert { get; }

    public string Clear { get; }

    public string ListTypes { get; }

    public string ListKeys { get; }

    public string ListStates { get; }

    public string DeleteGrain { get; }

    public string Statistics { get; }

    /// <summary>Inserts a probe row; the health check runs it in a transaction it rolls back.</summary>
    public string Probe { get; }

    public IReadOnlyList<string> Schema { get; private init; } = [];

    public static AdoNetSql For(AdoNetGrainStorageOptions options)
    {
        var postgres = options.Invariant == AdoNetGrainStorageOptions.PostgresInvariant;
        var table = postgres && options.Schema is not null ? $"{options.Schema}.{options.TableName}" : options.TableName;
        return new AdoNetSql(table, postgres, options.UseJsonb)
        {
            Schema = postgres ? PostgresSchema(options.Schema, table, options.TableName) : SqliteSchema(table),
        };
    }

    /// <summary>The SQLite schema; the same text as deploy/sql/sqlite.sql.</summary>
    public static IReadOnlyList<string> SqliteSchema(string table) =>
    [
        $"""
        CREATE TABLE IF NOT EXISTS {table} (
            service_id  TEXT    NOT NULL,
            grain_type  TEXT    NOT NULL,
            grain_key   TEXT    NOT NULL,
            state_name  TEXT    NOT NULL,
            version     INTEGER NOT NULL,
            payload     BLOB    NULL,
            modified_at INTEGER NOT NULL,
            PRIMARY KEY (service_id, grain_type, grain_key, state_name)
        )
        """,
    ];

    /// <summary>The PostgreSQL schema; the same text as deploy/sql/postgres.sql.</summary>
    public static IReadOnlyList<string> PostgresSchema(string? schema, string table, string tableName) =>
    [
        .. schema is null ? Array.Empty<string>() : [$"CREATE SCHEMA IF NOT EXISTS {schema}"],
        $"""
        CREATE TABLE IF NOT EXISTS {table} (
            service_id   text COLLATE "C" NOT NULL,
            grain_type   text COLLATE "C" NOT NULL,
            grain_key    text COLLATE "C" NOT NULL,
            state_name   text COLLATE "C" NOT NULL,
            version      bigint      NOT NULL,
            payload      bytea       NULL,
            payload_json jsonb       NULL,
            modified_at  timestamptz NOT NULL,
            CONSTRAINT {tableName}_pkey PRIMARY KEY (service_id, grain_type, grain_key, state_name)
        )
        """,
    ];
}
