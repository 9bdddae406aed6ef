using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace OrleansMemory.Storage;

/// <summary>Flushes files and directories to disk (<c>fsync</c>) on a few dedicated threads. .NET has no asynchronous
/// fsync, and a flush blocks its thread for milliseconds; on the thread pool, which keeps about one worker per core busy,
/// each blocked worker took a core's share of grain turns and searches with it (on two cores, one caller writing as fast
/// as it could cut a hot user's search throughput by a quarter to two fifths).</summary>
internal static partial class DiskFlush
{
    private const int Threads = 4;
    private const int NoSuchFile = 2; // ENOENT
    private const int NotSupported = 22; // EINVAL: the file system cannot flush a directory (PostgreSQL ignores it too)
    private static readonly BlockingCollection<(Action Flush, string Step, TaskCompletionSource Done, Activity? Parent)> s_requests = Start();

    /// <summary>Flushes the stream's buffers and the file's data to disk. The caller's continuation (the rest of the
    /// provider's write: a rename and a hash) runs on the flushing thread, not behind the thread pool's queue; the
    /// grain's own continuation is scheduled by Orleans as always.</summary>
    public static Task FlushAsync(FileStream stream) => Enqueue(() => stream.Flush(flushToDisk: true), "file fsync call");

    /// <summary>Flushes a directory's entries to disk. A file renamed into a directory, or deleted from it, is there (or
    /// gone) after a power loss only once its directory is flushed; flushing the file itself does not do it. A directory
    /// that does not exist has nothing to flush (its removal is an entry of its parent). Nothing happens on Windows,
    /// where a directory cannot be opened to flush it and NTFS journals renames and deletes itself.</summary>
    public static Task FlushDirectoryAsync(string directory) => Enqueue(() => FlushDirectory(directory), "file fsync directory call");

    private static Task Enqueue(Action flush, string step)
    {
        var done = new TaskCompletionSource();
        s_requests.Add((flush, step, done, Activity.Current));
        return done.Task;
    }

    private static BlockingCollection<(Action, string, TaskCompletionSource, Activity?)> Start()
    {
        var requests = new BlockingCollection<(Action, string, TaskCompletionSource, Activity?)>();
        for (var i = 0; i < Threads; i++)
        {
            new Thread(() => Run(requests)) { IsBackground = true, Name = "OrleansMemory disk flush" }.Start();
        }

        return requests;
    }

    private static void Run(BlockingCollection<(Action Flush, string Step, TaskCompletionSource Done, Activity? Parent)> requests)
    {
        foreach (var (flush, step, done, parent) in requests.GetConsumingEnumerable())
        {
            try
            {
                using (FileStorageActivity.Start(step, parent))
                {
                    flush();
                }

                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        }
    }

    /// <summary>Flushes a directory's entries to disk on the calling thread (see <see cref="FlushDirectoryAsync"/>).</summary>
    internal static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // O_RDONLY, and on Linux O_CLOEXEC (the same value on x64 and arm64), so that no child process inherits it.
        var descriptor = Open(directory, OperatingSystem.IsLinux() ? 0x80000 : 0);
        if (descriptor < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error == NoSuchFile)
            {
                return;
            }

            throw new IOException($"Could not open the directory '{directory}' to flush it to disk: {Marshal.GetPInvokeErrorMessage(error)}", error);
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error != NotSupported)
                {
                    throw new IOException($"Could not flush the directory '{directory}' to disk: {Marshal.GetPInvokeErrorMessage(error)}", error);
                }
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
