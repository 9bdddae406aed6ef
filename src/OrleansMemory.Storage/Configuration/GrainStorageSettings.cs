namespace OrleansMemory.Storage;

/// <summary>Backend-neutral storage settings, as read from configuration or a provider URI. Defaults are those of the
/// earlier storage design (file storage in <c>./storage_data</c>, backups on, pretty JSON, WAL, 30 s, 5 backups).</summary>
public sealed record GrainStorageSettings
{
    /// <summary>The backend: <c>file</c>, <c>sqlite</c>, <c>postgres</c>, <c>redis</c>, <c>memory</c> or a registered third-party type.</summary>
    public string Type { get; init; } = "file";

    /// <summary>File storage: the base directory.</summary>
    public string BaseDirectory { get; init; } = "./storage_data";

    /// <summary>SQLite: the database file.</summary>
    public string DbPath { get; init; } = "./storage_data/connectome.db";

    /// <summary>File storage: keep a backup of each record before overwriting it.</summary>
    public bool CreateBackups { get; init; } = true;

    /// <summary>File storage: write indented JSON.</summary>
    public bool PrettyJson { get; init; } = true;

    /// <summary>SQLite: use write-ahead logging.</summary>
    public bool WalMode { get; init; } = true;

    /// <summary>SQLite: flush every commit to disk before it is acknowledged (<c>synchronous=FULL</c>), so that it
    /// survives a power loss, and send the silo's writes one at a time. Off (the default): with WAL, commits survive a
    /// killed process but a power loss can lose the last ones, at about twice the write rate.</summary>
    public bool DurableCommits { get; init; }

    /// <summary>Database command / busy timeout.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>File storage: backups kept per record.</summary>
    public int MaxBackups { get; init; } = 5;

    /// <summary>PostgreSQL connection string, Redis configuration string, or (optional) SQLite connection string.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Redis: put before every key; empty keeps Orleans' layout <c>{serviceId}/state/{grainId}/{stateName}</c>.</summary>
    public string KeyPrefix { get; init; } = string.Empty;

    /// <summary>PostgreSQL: the schema holding the tables (the connection's search path); null for the server's default.</summary>
    public string? Schema { get; init; }

    /// <summary>SQLite and PostgreSQL: apply the schema scripts at startup; null for the backend's default (on for
    /// SQLite, off for PostgreSQL).</summary>
    public bool? CreateSchema { get; init; }

    /// <summary>SQLite, PostgreSQL and Redis: the service id records are keyed by; null for the silo's
    /// <c>ClusterOptions.ServiceId</c>. Tools without a silo use <see cref="GrainStorageDefaults.ServiceId"/>.</summary>
    public string? ServiceId { get; init; }

    /// <summary>Create what is missing (the file storage directory, the SQLite file, the schema when
    /// <see cref="CreateSchema"/> allows). Not read from configuration: tools set it to false for read-only work, where
    /// a wrong path or an empty server must be an error, not a new empty store.</summary>
    public bool CreateIfMissing { get; init; } = true;

    /// <summary>Where each setting came from (setting name to the configuration key or alias that supplied it), so
    /// errors can name what the operator wrote.</summary>
    public IReadOnlyDictionary<string, string> Sources { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The configuration key or alias that supplied <paramref name="setting"/>, or the standard key.</summary>
    public string SourceOf(string setting) =>
        Sources.TryGetValue(setting, out var source) ? source : GrainStorageConfiguration.SectionName + ":" + setting;
}
