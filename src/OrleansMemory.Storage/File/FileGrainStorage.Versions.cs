using System.Globalization;

namespace OrleansMemory.Storage;

/// <summary>The file provider's earlier versions of records (backups, temporary files a crash left) and how removals are made durable.</summary>
public sealed partial class FileGrainStorage
{
    private async Task BackupAsync(string path, byte[] previous, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetDirectoryName(path)!, FileStorageLayout.BackupDirectory);
        Directory.CreateDirectory(directory);
        var fileBase = Path.GetFileNameWithoutExtension(path);
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfffffff'Z'", CultureInfo.InvariantCulture);
        var backup = Path.Combine(directory, $"{fileBase}.{stamp}{FileStorageLayout.Extension}");
        if (File.Exists(backup))
        {
            backup = Path.Combine(directory, $"{fileBase}.{stamp}-{Guid.NewGuid():N}{FileStorageLayout.Extension}");
        }

        try
        {
            try
            {
                await File.WriteAllBytesAsync(backup, previous, cancellationToken).ConfigureAwait(false);
            }
            catch (DirectoryNotFoundException)
            {
                Directory.CreateDirectory(directory); // a clear of another record removed the emptied directory meanwhile
                await File.WriteAllBytesAsync(backup, previous, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            // A backup cut short (a full disk) is not a backup: it would count against MaxBackupFiles and push a real one out.
            File.Delete(backup);
            throw;
        }

        var prefix = fileBase + ".";
        var stale = Directory.EnumerateFiles(directory, prefix + "*" + FileStorageLayout.Extension)
            .Where(f => IsBackupOf(Path.GetFileName(f), prefix))
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var file in stale.Take(Math.Max(0, stale.Count - _options.MaxBackupFiles)))
        {
            File.Delete(file);
        }

        LogDebugBackup(_logger, Name, backup);
    }

    /// <inheritdoc />
    public async Task EraseEarlierVersionsAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default)
    {
        var path = GetPath(stateName, grainId);
        var gate = LockFor(path);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            DeleteBackups(path);
            DeleteTemporaryFiles(path);
            await FlushRemovalsAsync(Path.GetDirectoryName(path)!).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw GrainStorageException.For(Name, "erase earlier versions of", grainId, stateName, ex);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Makes removals from a grain's directory durable: its backups directory is flushed if it is still there,
    /// then the grain directory, or, when the removal emptied and deleted it, the nearest parent still there.</summary>
    private async Task FlushRemovalsAsync(string grainDirectory)
    {
        var backups = Path.Combine(grainDirectory, FileStorageLayout.BackupDirectory);
        if (Directory.Exists(backups))
        {
            await FlushDirectoryAsync(backups).ConfigureAwait(false);
        }

        var typeDirectory = Path.GetDirectoryName(grainDirectory)!;
        var directory = Directory.Exists(grainDirectory) ? grainDirectory : Directory.Exists(typeDirectory) ? typeDirectory : _root;
        await FlushDirectoryAsync(directory).ConfigureAwait(false);
    }

    private static async Task FlushDirectoryAsync(string directory)
    {
        using (FileStorageActivity.Start("file fsync directory"))
        {
            await DiskFlush.FlushDirectoryAsync(directory).ConfigureAwait(false);
        }
    }

    private static void DeleteTemporaryFiles(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (Directory.Exists(directory))
        {
            foreach (var temp in Directory.EnumerateFiles(directory, Path.GetFileName(path) + ".*.tmp"))
            {
                File.Delete(temp);
            }
        }
    }

    private static void DeleteBackups(string path)
    {
        var directory = Path.Combine(Path.GetDirectoryName(path)!, FileStorageLayout.BackupDirectory);
        if (!Directory.Exists(directory))
        {
            return;
        }

        var prefix = Path.GetFileNameWithoutExtension(path) + ".";
        foreach (var backup in Directory.EnumerateFiles(directory, prefix + "*" + FileStorageLayout.Extension).Where(f => IsBackupOf(Path.GetFileName(f), prefix)).ToList())
        {
            File.Delete(backup);
        }

        try
        {
            if (!Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory, recursive: false);
            }
        }
        catch (IOException)
        {
            // a backup of another record was written meanwhile
        }
    }

    // A backup of "a" is "a.{yyyyMMddTHHmmss + 7 digits}Z[-guid].json"; this keeps "a.b"'s backups out of "a"'s.
    private static bool IsBackupOf(string fileName, string prefix) =>
        fileName.Length > prefix.Length + 23 && fileName[prefix.Length + 8] == 'T' && fileName[prefix.Length + 22] == 'Z'
        && fileName.Substring(prefix.Length, 8).All(char.IsAsciiDigit);
}
