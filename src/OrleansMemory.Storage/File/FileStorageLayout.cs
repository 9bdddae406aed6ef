using System.Globalization;
using System.Text;

namespace OrleansMemory.Storage;

/// <summary>Maps grain types, keys and state names to paths under the base directory and back. Every name is escaped
/// with <see cref="StorageKeyEscaper"/>; names configured in <see cref="FileGrainStorageOptions.GrainTypeDirectories"/>
/// and <see cref="FileGrainStorageOptions.StateFileNames"/> are reserved, so an unmapped name that escapes to a reserved
/// one has its first character percent-encoded instead. Hashed (too long) names keep their original in a sidecar file
/// whose name starts with a dot, which no escaped name does.</summary>
internal sealed class FileStorageLayout
{
    public const string Extension = ".json";
    public const string BackupDirectory = ".backups";

    /// <summary>Whether a state is a page of a paged log (<c>memories/000042</c>: the name ends in a page number). A
    /// page is rewritten by every append to it, so a backup of each earlier version would repeat the page up to
    /// <c>MaxBackupFiles</c> times (80% of a growing user's bytes); pages keep none.</summary>
    public static bool IsLogPage(string stateName)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        var slash = stateName.LastIndexOf('/');
        return slash >= 0 && slash < stateName.Length - 1 && !stateName.AsSpan(slash + 1).ContainsAnyExceptInRange('0', '9');
    }
    public const string TypeSidecar = ".type";
    public const string KeySidecar = ".key";

    private readonly Dictionary<string, string> _typeToDir;
    private readonly Dictionary<string, string> _dirToType;
    private readonly Dictionary<string, string> _stateToFile;
    private readonly Dictionary<string, string> _fileToState;

    public FileStorageLayout(string root, FileGrainStorageOptions options)
    {
        Root = root;
        _typeToDir = new(options.GrainTypeDirectories, StringComparer.Ordinal);
        _dirToType = _typeToDir.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
        _stateToFile = new(options.StateFileNames, StringComparer.Ordinal);
        _fileToState = _stateToFile.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }

    public string Root { get; }

    public string TypeSegment(string grainType) =>
        _typeToDir.TryGetValue(grainType, out var dir) ? dir : EscapeAvoiding(grainType, _dirToType);

    public string StateFileBase(string stateName) =>
        _stateToFile.TryGetValue(stateName, out var file) ? file : EscapeAvoiding(stateName, _fileToState);

    public string TypeDirectory(string grainType) => Inside(Path.Combine(Root, TypeSegment(grainType)));

    public string GrainDirectory(string grainType, string key) =>
        Inside(Path.Combine(Root, TypeSegment(grainType), StorageKeyEscaper.Escape(key)));

    public string StatePath(string grainType, string key, string stateName) =>
        Inside(Path.Combine(GrainDirectory(grainType, key), StateFileBase(stateName) + Extension));

    public static string StateSidecar(string fileBase) => "." + fileBase + ".state";

    /// <summary>Creates the grain's directory if needed and writes the sidecars that keep hashed names recoverable; called
    /// before a state file is written. Returns how many directories it created: 0, 1 (the grain's) or 2 (its type's
    /// too); the parent of each new one needs a flush.</summary>
    public int EnsureSidecars(string grainType, string key, string stateName)
    {
        var typeDir = TypeDirectory(grainType);
        var grainDir = GrainDirectory(grainType, key);
        var created = Directory.Exists(grainDir) ? 0 : Directory.Exists(typeDir) ? 1 : 2;
        Directory.CreateDirectory(grainDir);
        if (IsHashed(Path.GetFileName(typeDir)))
        {
            WriteSidecar(Path.Combine(typeDir, TypeSidecar), grainType);
        }

        if (IsHashed(Path.GetFileName(grainDir)))
        {
            WriteSidecar(Path.Combine(grainDir, KeySidecar), key);
        }

        var fileBase = StateFileBase(stateName);
        if (IsHashed(fileBase))
        {
            WriteSidecar(Path.Combine(grainDir, StateSidecar(fileBase)), stateName);
        }

        return created;
    }

    /// <summary>Removes a grain directory left with nothing but sidecars (no records, no backups), then its type
    /// directory if that is left empty the same way, so clearing a grain's last record leaves no trace. Directories are
    /// removed non-recursively, so a record written meanwhile stays; hashed (too long) names are left alone, since their
    /// sidecars are how their names are recovered.</summary>
    public void RemoveIfEmpty(string grainType, string key)
    {
        if (DeleteIfOnlySidecars(GrainDirectory(grainType, key)))
        {
            DeleteIfOnlySidecars(TypeDirectory(grainType));
        }
    }

    private static bool DeleteIfOnlySidecars(string directory)
    {
        try
        {
            if (IsHashed(Path.GetFileName(directory)) || !Directory.Exists(directory))
            {
                return false;
            }

            // One lazy pass that stops at the first entry that is not a sidecar: a grain directory with thousands of
            // records is cleared record by record, and listing it whole for each record made erasing it quadratic.
            var files = new List<string>();
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo || !(entry.Name.StartsWith('.') && entry.Name.EndsWith(".state", StringComparison.Ordinal)))
                {
                    return false;
                }

                files.Add(entry.FullName);
            }

            files.ForEach(File.Delete);
            Directory.Delete(directory, recursive: false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // something was written meanwhile: it stays
        }
    }

    public string? GrainTypeOf(string typeDirectory)
    {
        var segment = Path.GetFileName(typeDirectory);
        if (segment.StartsWith('.'))
        {
            return null;
        }

        return _dirToType.TryGetValue(segment, out var type) ? type : Recover(segment, Path.Combine(typeDirectory, TypeSidecar));
    }

    public string? KeyOf(string grainDirectory)
    {
        var segment = Path.GetFileName(grainDirectory);
        return segment.StartsWith('.') ? null : Recover(segment, Path.Combine(grainDirectory, KeySidecar));
    }

    public string? StateNameOf(string stateFile)
    {
        var fileName = Path.GetFileName(stateFile);
        if (fileName.StartsWith('.') || !fileName.EndsWith(Extension, StringComparison.Ordinal))
        {
            return null;
        }

        var fileBase = fileName[..^Extension.Length];
        return _fileToState.TryGetValue(fileBase, out var state)
            ? state
            : Recover(fileBase, Path.Combine(Path.GetDirectoryName(stateFile)!, StateSidecar(fileBase)));
    }

    /// <summary>The state files (not sidecars, temporary files or backups) of a grain directory.</summary>
    public static IEnumerable<string> StateFiles(string grainDirectory) =>
        Directory.Exists(grainDirectory)
            ? Directory.EnumerateFiles(grainDirectory, "*" + Extension).Where(f => !Path.GetFileName(f).StartsWith('.'))
            : [];

    private string Inside(string path)
    {
        var full = Path.GetFullPath(path);
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Refusing a storage path outside '{Root}'.");
        }

        return full;
    }

    private static string EscapeAvoiding(string name, Dictionary<string, string> reserved)
    {
        var escaped = StorageKeyEscaper.Escape(name);
        if (!reserved.ContainsKey(escaped))
        {
            return escaped;
        }

        // Reserved names are plain ASCII, so the first character is one byte; percent-encoding it keeps the result unique and reversible.
        return "%" + ((int)escaped[0]).ToString("X2", CultureInfo.InvariantCulture) + escaped[1..];
    }

    private static bool IsHashed(string segment) => segment.Contains('~', StringComparison.Ordinal);

    private static string? Recover(string segment, string sidecar)
    {
        if (StorageKeyEscaper.TryUnescape(segment, out var name))
        {
            return name;
        }

        try
        {
            return File.ReadAllText(sidecar, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static void WriteSidecar(string path, string original)
    {
        if (!File.Exists(path))
        {
            File.WriteAllText(path, original, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
    }
}
