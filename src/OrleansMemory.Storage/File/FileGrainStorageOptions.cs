namespace OrleansMemory.Storage;

/// <summary>Options of <see cref="FileGrainStorage"/>.</summary>
public sealed class FileGrainStorageOptions
{
    /// <summary>The directory under which all records are kept.</summary>
    public string BaseDirectory { get; set; } = "./storage_data";

    /// <summary>Create <see cref="BaseDirectory"/> at startup when it is missing; when false, a missing directory stops
    /// startup with an error naming it (read-only tools).</summary>
    public bool CreateBaseDirectory { get; set; } = true;

    /// <summary>The silo lifecycle stage at which the provider checks or creates its directory.</summary>
    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;

    /// <summary>Write indented, human-readable JSON. Pages of paged logs (<c>memories/000042</c>), which every append
    /// rewrites, are written compact: indenting took more than half of an add's serialization time (0.46-0.74 ms a write
    /// compact against 1.77-3.39 ms indented on the loaded 2-core machine) and about a seventh of its bytes
    /// (bench/README.md, issue 24).</summary>
    public bool PrettyPrintJson { get; set; } = true;

    /// <summary>Before overwriting a record, keep a timestamped copy of the previous version under the grain's
    /// <c>.backups</c> directory. Pages of paged logs (<c>memories/000042</c>), which every append rewrites, keep none.</summary>
    public bool CreateBackups { get; set; } = true;

    /// <summary>How many backups to keep per record (oldest are deleted first). At least 1.</summary>
    public int MaxBackupFiles { get; set; } = 5;

    /// <summary>The directory name used for a grain type; types not listed use their escaped name.
    /// Names must be plain segments (letters, digits, <c>-</c>, <c>_</c>, non-leading <c>.</c>).</summary>
    public Dictionary<string, string> GrainTypeDirectories { get; set; } = new(StringComparer.Ordinal)
    {
        ["conversation"] = "conversations",
        ["agent"] = "agents",
        ["user"] = "users",
        ["cache"] = "cache",
        ["system"] = "system",
    };

    /// <summary>The file name (without <c>.json</c>) used for a state name; states not listed use their escaped name.
    /// Same naming rule as <see cref="GrainTypeDirectories"/>.</summary>
    public Dictionary<string, string> StateFileNames { get; set; } = new(StringComparer.Ordinal);
}
