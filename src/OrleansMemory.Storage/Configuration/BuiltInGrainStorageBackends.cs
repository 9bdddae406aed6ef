using OrleansMemory.Hosting;

namespace OrleansMemory.Storage;

/// <summary>The backends <c>AddGrainStorageFromConfiguration</c> always knows: file and memory. SQLite and PostgreSQL
/// come with OrleansMemory.Storage.AdoNet (<c>AddAdoNetGrainStorageBackends</c>), Redis with OrleansMemory.Storage.Redis
/// (<c>AddRedisGrainStorageBackend</c>), so that a silo pays only for the drivers it uses.</summary>
public static class BuiltInGrainStorageBackends
{
    /// <summary>The backends of this package.</summary>
    public static IReadOnlyList<IGrainStorageBackend> All { get; } =
    [
        new GrainStorageBackend("file", static s => FileGrainStorageOptionsValidator.Failures("file", File(s)).Select(f => Name(s, f, ("BaseDirectory", "BaseDirectory"), ("MaxBackupFiles", "MaxBackups"))),
            static (b, n, s) => b.AddFileGrainStorage(n, o => Copy(File(s), o))),
        new GrainStorageBackend("memory", static _ => [], static (b, n, _) => b.UseMemoryStateJson().AddMemoryGrainStorage(n)),
    ];

    /// <summary>File storage options from settings.</summary>
    public static FileGrainStorageOptions File(GrainStorageSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new()
        {
            BaseDirectory = s.BaseDirectory,
            CreateBackups = s.CreateBackups,
            MaxBackupFiles = s.MaxBackups,
            PrettyPrintJson = s.PrettyJson,
            CreateBaseDirectory = s.CreateIfMissing,
        };
    }

    /// <summary>Failures for a connection string that must be set and must parse (<paramref name="parse"/> throws
    /// <see cref="ArgumentException"/>, <see cref="FormatException"/> or <see cref="KeyNotFoundException"/> when it
    /// does not), each naming the setting.</summary>
    public static IEnumerable<string> RequiredConnectionString(GrainStorageSettings s, string setting, string value, Action<string> parse)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(parse);
        if (string.IsNullOrWhiteSpace(value))
        {
            return [$"{s.SourceOf(setting)} must be set for storage type '{s.Type}'."];
        }

        try
        {
            parse(value);
            return [];
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            return [$"{s.SourceOf(setting)} is not a valid connection string for storage type '{s.Type}': {ex.Message}"];
        }
    }

    private static void Copy(FileGrainStorageOptions from, FileGrainStorageOptions to)
    {
        to.BaseDirectory = from.BaseDirectory;
        to.CreateBackups = from.CreateBackups;
        to.MaxBackupFiles = from.MaxBackupFiles;
        to.PrettyPrintJson = from.PrettyPrintJson;
        to.CreateBaseDirectory = from.CreateBaseDirectory;
    }

    // Provider validators name their own option; tell the operator which setting (or alias) to fix.
    private static string Name(GrainStorageSettings s, string failure, params (string Option, string Setting)[] map)
    {
        foreach (var (option, setting) in map)
        {
            if (failure.Contains(option, StringComparison.Ordinal))
            {
                return $"{s.SourceOf(setting)}: {failure}";
            }
        }

        return failure;
    }
}
