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

    /// <summary>SQLite: flush every commit to disk before it is acknowledged (<c>synchronous=FULL</c>: it survives a
    /// power loss) and send this silo's writes to the database one at a time, so that they queue in order rather than
    /// sleep in SQLite's busy handler (1, 2, 5, 10 ms and on: 80 ms at p99 with 16 writers). Off: <c>synchronous=NORMAL</c>
    /// with WAL (a killed process loses nothing, a power loss the last commits), about twice the writes per second.</summary>
    public bool DurableCommits { get; set; }

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

    /// <summary>PostgreSQL: Npgsql resets a pooled connection's session state each time it is reused unless the connection
    /// string says <c>No Reset On Close</c>; Orleans' provider sets no session state, so the reset is work for nothing
    /// (activating a 100,000-memory user reads ~1,600 pages, each a pooled connection's use: 15-25% faster without
    /// the reset in back-to-back runs here). Set <c>No Reset On Close=false</c> to keep the reset.</summary>
    public const bool DefaultNoResetOnClose = true;

    /// <summary>The connection string given to Orleans: <see cref="ConnectionString"/>, and for PostgreSQL <see cref="Schema"/>
    /// as search path, <see cref="DefaultMaxAutoPrepare"/> and <see cref="DefaultNoResetOnClose"/> unless the connection
    /// string sets <c>Max Auto Prepare</c> or <c>No Reset On Close</c>.</summary>
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

            if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
            {
                builder.NoResetOnClose = DefaultNoResetOnClose;
            }

            return builder.ConnectionString;
        }
    }
}
