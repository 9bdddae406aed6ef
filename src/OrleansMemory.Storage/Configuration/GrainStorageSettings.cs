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

    /// <summary>Database command / busy timeout.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>File storage: backups kept per record.</summary>
    public int MaxBackups { get; init; } = 5;

    /// <summary>PostgreSQL connection string, Redis configuration string, or (optional) SQLite connection string.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Redis: the key prefix.</summary>
    public string KeyPrefix { get; init; } = "omem:";

    /// <summary>PostgreSQL: the schema holding the table (created when missing); null for the search path.</summary>
    public string? Schema { get; init; }

    /// <summary>SQLite and PostgreSQL: the service id column value.</summary>
    public string ServiceId { get; init; } = "default";

    /// <summary>Where each setting came from (setting name to the configuration key or alias that supplied it), so
    /// errors can name what the operator wrote.</summary>
    public IReadOnlyDictionary<string, string> Sources { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The configuration key or alias that supplied <paramref name="setting"/>, or the standard key.</summary>
    public string SourceOf(string setting) =>
        Sources.TryGetValue(setting, out var source) ? source : GrainStorageConfiguration.SectionName + ":" + setting;
}
