using System.Collections.Concurrent;

namespace OrleansMemory.VectorIndex;

/// <summary>The threads large searches run on: one per core, fed from one FIFO queue, apart from the .NET thread pool.
/// On the pool, 64 queued searches put every grain turn of the process (another user's add, a conversation's append, a
/// cache read) behind them; on threads of their own, searches share the cores with those turns through the operating
/// system's scheduler, which gives each runnable thread its slice within milliseconds.</summary>
internal static class SearchThreads
{
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
                foreach (var work in queue.GetConsumingEnumerable())
                {
                    work(); // never throws: RunAsync completes its task with the search's exception
                }
            })
            {
                IsBackground = true,
                Name = "omem-search-" + i,
            }.Start();
        }

        return queue;
    }
}
