using System.Diagnostics;

namespace OrleansMemory.Storage.Tests;

/// <summary>A small tmpfs mounted on a temporary directory, to fill a disk for real; null where mounting is not allowed
/// (it needs root). Shared with the silo's tests (linked).</summary>
public sealed class SmallDisk : IAsyncDisposable
{
    private SmallDisk(string path) => Path = path;

    /// <summary>The mounted directory.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (mount's size option: 256k, 1m).</summary>
    public static async Task<SmallDisk?> MountAsync(string size)
    {
        var path = Directory.CreateTempSubdirectory("omem-small-disk-").FullName;
        if (await RunAsync("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", path) == 0)
        {
            return new SmallDisk(path);
        }

        Directory.Delete(path);
        return null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await RunAsync("umount", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static async Task<int> RunAsync(string command, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            await process.WaitForExitAsync();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
