using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrleansMemory.Storage;

/// <summary>Flushes files to disk (<c>fsync</c>) on a few dedicated threads. .NET has no asynchronous fsync, and a
/// flush blocks its thread for milliseconds; on the thread pool, which keeps about one worker per core busy, each
/// blocked worker took a core's share of grain turns and searches with it (on two cores, one caller writing as fast as
/// it could cut a hot user's search throughput by a quarter to two fifths).</summary>
internal static class DiskFlush
{
    private const int Threads = 4;
    private static readonly BlockingCollection<(FileStream Stream, TaskCompletionSource Done, Activity? Parent)> s_requests = Start();

    /// <summary>Flushes the stream's buffers and the file's data to disk. The caller's continuation (the rest of the
    /// provider's write: a rename and a hash) runs on the flushing thread, not behind the thread pool's queue; the
    /// grain's own continuation is scheduled by Orleans as always.</summary>
    public static Task FlushAsync(FileStream stream)
    {
        var done = new TaskCompletionSource();
        s_requests.Add((stream, done, Activity.Current));
        return done.Task;
    }

    private static BlockingCollection<(FileStream, TaskCompletionSource, Activity?)> Start()
    {
        var requests = new BlockingCollection<(FileStream, TaskCompletionSource, Activity?)>();
        for (var i = 0; i < Threads; i++)
        {
            new Thread(() => Run(requests)) { IsBackground = true, Name = "OrleansMemory disk flush" }.Start();
        }

        return requests;
    }

    private static void Run(BlockingCollection<(FileStream Stream, TaskCompletionSource Done, Activity? Parent)> requests)
    {
        foreach (var (stream, done, parent) in requests.GetConsumingEnumerable())
        {
            try
            {
                using (FileStorageActivity.Start("file fsync call", parent))
                {
                    stream.Flush(flushToDisk: true);
                }

                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        }
    }
}
