using OrleansMemory.Storage;

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

    /// <summary>SQLite: flush every commit to disk before acknowledging it (survives a power loss; about half the
    /// writes per second), see <see cref="GrainStorageSettings.DurableCommits"/>.</summary>
    public bool DurableCommits { get; set; }

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

    /// <summary>These settings in the storage package's terms, for its backends to validate and register; their errors
    /// name the keys under <paramref name="prefix"/> (the service id: <c>OrleansMemory:ServiceId</c>).</summary>
    /// <param name="prefix">The configuration section these settings were bound from.</param>
    /// <param name="serviceId">The silo's service id, which keys stored state.</param>
    public GrainStorageSettings ToGrainStorageSettings(string prefix, string serviceId) => new()
    {
        Type = Type.Trim().ToLowerInvariant(),
        BaseDirectory = BaseDirectory,
        DbPath = DbPath,
        ConnectionString = ConnectionString,
        CreateBackups = CreateBackups,
        PrettyJson = PrettyJson,
        WalMode = WalMode,
        DurableCommits = DurableCommits,
        // An invalid value is reported by the silo's validator; the fallback keeps the conversion total.
        Timeout = Timeout is > 0 and <= 3600 ? TimeSpan.FromSeconds(Timeout) : new GrainStorageSettings().Timeout,
        MaxBackups = MaxBackups,
        CreateSchema = CreateSchema,
        KeyPrefix = KeyPrefix ?? string.Empty,
        Schema = Schema,
        ServiceId = serviceId,
        Sources = GrainStorageConfiguration.SettingNames.ToDictionary(
            n => n, n => n == "ServiceId" ? SiloOptions.SectionName + ":ServiceId" : prefix + ":" + n, StringComparer.Ordinal),
    };
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
