namespace OrleansMemory.Configuration;

/// <summary>Options of the ADO.NET grain storage (SQLite or PostgreSQL).</summary>
public sealed class AdoNetGrainStorageOptions
{
    /// <summary>The ADO.NET invariant name of SQLite.</summary>
    public const string SqliteInvariant = "Microsoft.Data.Sqlite";

    /// <summary>The ADO.NET invariant name of PostgreSQL.</summary>
    public const string PostgresInvariant = "Npgsql";

    /// <summary>Which database: <see cref="SqliteInvariant"/> or <see cref="PostgresInvariant"/>.</summary>
    public string Invariant { get; set; } = SqliteInvariant;

    /// <summary>The connection string, for example <c>Data Source=./storage_data/connectome.db</c> or
    /// <c>Host=127.0.0.1;Username=postgres;Database=postgres</c>.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>The service id: several services can share one table without seeing each other's records.</summary>
    public string ServiceId { get; set; } = "default";

    /// <summary>The table name (letters, digits and underscores).</summary>
    public string TableName { get; set; } = "omem_grain_state";

    /// <summary>PostgreSQL only: the schema holding the table; null for the connection's search path.</summary>
    public string? Schema { get; set; }

    /// <summary>Create the schema and table on first use when missing. Turn off where operators run deploy/sql/ themselves.</summary>
    public bool CreateSchema { get; set; } = true;

    /// <summary>SQLite only: use write-ahead logging (with <c>synchronous=NORMAL</c>), so readers never block the writer.</summary>
    public bool EnableWalMode { get; set; } = true;

    /// <summary>How long a statement may wait (SQLite busy timeout; command timeout on both).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>PostgreSQL only: keep a <c>jsonb</c> copy of JSON payloads in <c>payload_json</c> for queries. The exact
    /// bytes are always kept in <c>payload</c>, so migration and ETags never depend on JSON normalisation.</summary>
    public bool UseJsonb { get; set; } = true;
}
