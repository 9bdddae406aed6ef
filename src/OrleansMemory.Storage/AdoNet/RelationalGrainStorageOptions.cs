namespace OrleansMemory.Storage;

/// <summary>Options of the PostgreSQL and SQLite providers (<c>AddPostgreSqlGrainStorage</c>, <c>AddSqliteGrainStorage</c>):
/// Orleans' ADO.NET provider behind <see cref="TypePrefixedGrainStorage"/>.</summary>
public sealed class RelationalGrainStorageOptions
{
    /// <summary>The ADO.NET invariant: <see cref="PostgreSqlInvariant"/> or <see cref="SqliteInvariant"/> (set by the
    /// registration method).</summary>
    public string Invariant { get; set; } = PostgreSqlInvariant;

    /// <summary>The connection string (Npgsql, or Microsoft.Data.Sqlite). For PostgreSQL, <c>Search Path</c> picks the
    /// schema holding the tables (see <see cref="Schema"/>).</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>PostgreSQL: the schema holding the tables, added to the connection's search path; null for the
    /// server's default.</summary>
    public string? Schema { get; set; }

    /// <summary>Apply the schema scripts (deploy/sql, <see cref="AdoNetSchema"/>) before the provider starts. Idempotent.
    /// Off by default for PostgreSQL (operators run <c>omem db init</c>), on for SQLite.</summary>
    public bool CreateSchema { get; set; }

    /// <summary>SQLite: use write-ahead logging (set when the schema is applied).</summary>
    public bool WalMode { get; set; } = true;

    /// <summary>The service id rows are keyed by; null for the silo's <c>ClusterOptions.ServiceId</c>.</summary>
    public string? ServiceId { get; set; }

    /// <summary>The silo lifecycle stage at which Orleans' provider reads its queries; the schema is applied one stage earlier.</summary>
    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;

    /// <summary>The invariant of PostgreSQL (Npgsql).</summary>
    public const string PostgreSqlInvariant = "Npgsql";

    /// <summary>The invariant Orleans maps to Microsoft.Data.Sqlite.</summary>
    public const string SqliteInvariant = "System.Data.SQLite";

    /// <summary>Whether the invariant is PostgreSQL's.</summary>
    public bool IsPostgreSql => Invariant == PostgreSqlInvariant;

    /// <summary>PostgreSQL: how many statements Npgsql keeps prepared per connection when the connection string does
    /// not say (<c>Max Auto Prepare</c>). Orleans' provider builds a new command for every call, so without automatic
    /// preparation PostgreSQL parses and plans each read and write again: prepared, writes ran 2-3x and reads 3-4x
    /// faster here (bench/README.md, storage breakdown). Set <c>Max Auto Prepare=0</c> in the connection string to turn
    /// it off (for example behind a pooler that cannot keep prepared statements).</summary>
    public const int DefaultMaxAutoPrepare = 32;

    /// <summary>The connection string given to Orleans: <see cref="ConnectionString"/>, and for PostgreSQL <see cref="Schema"/>
    /// as search path and <see cref="DefaultMaxAutoPrepare"/> unless the connection string sets <c>Max Auto Prepare</c>.</summary>
    public string EffectiveConnectionString
    {
        get
        {
            if (!IsPostgreSql)
            {
                return ConnectionString;
            }

            var builder = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
            if (!string.IsNullOrWhiteSpace(Schema))
            {
                builder.SearchPath = Schema;
            }

            var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = ConnectionString };
            if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
            {
                builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
            }

            return builder.ConnectionString;
        }
    }
}
