using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace OrleansMemory.VectorIndex;

/// <summary>The threads large searches run on: one per core, fed from one FIFO queue, apart from the .NET thread pool.
/// On the pool, 64 queued searches put every grain turn of the process (another user's add, a conversation's append, a
/// cache read) behind them; on threads of their own, searches share the cores with those turns through the operating
/// system's scheduler, which gives each runnable thread its slice within milliseconds. On Linux the search threads run
/// at a lower scheduling priority (nice 10), so a storm of searches takes the cores only while nothing else wants them.
/// A lower priority alone is not enough for that: a thread that wakes (a flush to disk that completed, the journal's
/// kernel thread, a thread-pool worker with a grain turn) does not preempt a search thread in the middle of its slice
/// and waited up to the next scheduler tick (4 ms at 250 Hz) behind it, at every wakeup. So a search thread yields the
/// CPU at the end of the first search after each <see cref="YieldEvery"/> of searching (<see cref="YieldBetweenSearches"/>):
/// a thread that woke meanwhile runs then; when none waits, the yield is one system call. Yielding after every search
/// cost a hot user a fifth to a quarter of its searches per second on a loaded machine; every quarter millisecond bounds
/// what an add waits at each of its hand-overs, for a few percent of them (same-run comparisons in bench/README.md).</summary>
internal static partial class SearchThreads
{
    /// <summary>The niceness of the search threads on Linux: CFS gives a nice-0 thread about ten times their share.</summary>
    private const int Niceness = 10;

    /// <summary>How long a search thread searches before it yields (at the end of the search that crosses it).</summary>
    private static readonly TimeSpan YieldEvery = TimeSpan.FromMicroseconds(250);

    /// <summary>Whether search threads yield the CPU every <see cref="YieldEvery"/> (default). Off only to measure the
    /// difference in the same process (the benchmarks).</summary>
    internal static bool YieldBetweenSearches { get; set; } = true;

    private static readonly BlockingCollection<Action> Queue = Start();

    /// <summary>Queues <paramref name="work"/>; it runs on a search thread.</summary>
    public static void Run(Action work) => Queue.Add(work);

    private static BlockingCollection<Action> Start()
    {
        var queue = new BlockingCollection<Action>(new ConcurrentQueue<Action>());
        for (var i = 0; i < Environment.ProcessorCount; i++)
        {
            new Thread(() =>
            {
                Deprioritize();
                var lastYield = Stopwatch.GetTimestamp();
                foreach (var work in queue.GetConsumingEnumerable())
                {
                    work(); // never throws: RunAsync completes its task with the search's exception
                    if (YieldBetweenSearches && Stopwatch.GetElapsedTime(lastYield) >= YieldEvery)
                    {
                        Thread.Yield(); // a thread that woke meanwhile runs now, not at the next tick
                        lastYield = Stopwatch.GetTimestamp();
                    }
                }
            })
            {
                IsBackground = true,
                Name = "omem-search-" + i,
            }.Start();
        }

        return queue;
    }

    /// <summary>Lowers the calling thread's priority (Linux: a thread is a task with its own nice value; lowering it needs
    /// no privilege). Elsewhere the threads keep the normal priority.</summary>
    private static void Deprioritize()
    {
        if (OperatingSystem.IsLinux())
        {
            _ = SetPriority(0 /* PRIO_PROCESS: here, one thread */, GetThreadId(), Niceness);
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);
}
