namespace OrleansMemory.Configuration;

/// <summary>Options of the ADO.NET membership table (SQLite or PostgreSQL).</summary>
public sealed class AdoNetClusteringOptions
{
    /// <summary>The ADO.NET invariant name: <c>Npgsql</c> (PostgreSQL) or <c>Microsoft.Data.Sqlite</c> (SQLite).</summary>
    public string Invariant { get; set; } = AdoNetInvariants.PostgreSql;

    /// <summary>The connection string, for example <c>Host=127.0.0.1;Port=5432;Username=postgres;Database=orleans</c>
    /// or <c>Data Source=./cluster.db</c>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Create the tables when missing (<c>deploy/sql/membership-*.sql</c> holds the same schema).</summary>
    public bool CreateSchema { get; set; } = true;
}

/// <summary>The ADO.NET invariant names the membership table understands.</summary>
public static class AdoNetInvariants
{
    /// <summary>PostgreSQL through Npgsql.</summary>
    public const string PostgreSql = "Npgsql";

    /// <summary>SQLite through Microsoft.Data.Sqlite.</summary>
    public const string Sqlite = "Microsoft.Data.Sqlite";
}
