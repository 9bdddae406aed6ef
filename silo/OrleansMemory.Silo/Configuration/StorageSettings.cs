namespace OrleansMemory.Silo.Configuration;

/// <summary>One grain storage provider's settings. The same keys as the <c>CONNECTOME_STORAGE_*</c> variables.</summary>
public class StorageProviderSettings
{
    /// <summary><c>file</c>, <c>memory</c>, <c>sqlite</c>, <c>postgres</c> or <c>redis</c>.</summary>
    public string Type { get; set; } = "file";

    /// <summary>File storage: the directory holding the JSON records.</summary>
    public string BaseDirectory { get; set; } = "./storage_data";

    /// <summary>SQLite: the database file.</summary>
    public string DbPath { get; set; } = "./storage_data/connectome.db";

    /// <summary>PostgreSQL / Redis: the connection string.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>File storage: keep backups of overwritten records.</summary>
    public bool CreateBackups { get; set; } = true;

    /// <summary>File storage: indented JSON.</summary>
    public bool PrettyJson { get; set; } = true;

    /// <summary>SQLite: write-ahead logging.</summary>
    public bool WalMode { get; set; } = true;

    /// <summary>Database command timeout in seconds.</summary>
    public double Timeout { get; set; } = 30.0;

    /// <summary>File storage: backups kept per record.</summary>
    public int MaxBackups { get; set; } = 5;

    /// <summary>PostgreSQL / SQLite: create Orleans' ADO.NET tables (deploy/sql) at startup when missing; default: off
    /// for PostgreSQL, on for SQLite.</summary>
    public bool? CreateSchema { get; set; }

    /// <summary>Redis: a prefix for this provider's keys (default none: Orleans' own layout).</summary>
    public string? KeyPrefix { get; set; }

    /// <summary>PostgreSQL: the schema (search path) of Orleans' tables.</summary>
    public string? Schema { get; set; }
}

/// <summary>Grain storage: the default provider (these properties), named extra providers, and which grain types use them.</summary>
public sealed class StorageSettings : StorageProviderSettings
{
    /// <summary>Extra providers by name, for example <c>"fast": { "Type": "redis", "ConnectionString": "..." }</c>.</summary>
    public Dictionary<string, StorageProviderSettings> Providers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Grain type (<c>conversation</c>, <c>agent</c>, <c>user</c>, <c>cache</c>, <c>systemstate</c>,
    /// <c>conversationdirectory</c>) to provider name; types not listed use the default provider.</summary>
    public Dictionary<string, string> GrainTypes { get; set; } = new(StringComparer.Ordinal);
}
