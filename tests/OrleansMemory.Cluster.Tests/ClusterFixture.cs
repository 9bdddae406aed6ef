using OrleansMemory.Hosting;
using OrleansMemory.Storage;
using OrleansMemory.TestingHost;

namespace OrleansMemory.Cluster.Tests;

/// <summary>Helpers shared by the cluster scenarios.</summary>
public static class ClusterTestKit
{
    /// <summary>A 3-silo in-memory cluster whose silos share one memory grain storage (as if it were a database).</summary>
    public static InProcessTestClusterBuilder MemoryCluster(int silos = 3)
    {
        var storage = new MemoryGrainStorage(name: "store");
        return new InProcessTestClusterBuilder(silos).ConfigureSilo((_, silo) => silo.AddGrainStorage("store", (_, _) => storage));
    }

    /// <summary>Runs <paramref name="action"/> until it succeeds or the time is up (a bounded wait, not a timing assertion).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> action, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                return await action();
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
