using System.Collections.Concurrent;
using OrleansMemory.TestingHost;
using Xunit.Abstractions;

namespace OrleansMemory.Cluster.Tests;

/// <summary>The failover scenarios, run against any membership table + storage (subclasses per backend).</summary>
public abstract class FailoverScenarios(ITestOutputHelper output)
{
    protected abstract InProcessTestClusterBuilder CreateCluster();

    [ServerFact]
    public async Task KilledSiloIsReplacedAndNoAcknowledgedWriteIsLost()
    {
        await using var cluster = CreateCluster().Build();
        await cluster.DeployAsync();
        var result = await WriteWhileAsync(cluster, grains: 120, writers: 8, async () =>
        {
            var victim = cluster.Silos[1];
            output.WriteLine($"killing {victim}");
            await cluster.KillSiloAsync(victim);
        });

        // Within 15 s of the kill, every grain answers again, from a live silo.
        var deadline = result.EventTime + TimeSpan.FromSeconds(15);
        var stored = new Dictionary<string, List<int>>();
        foreach (var key in result.Acknowledged.Keys)
        {
            stored[key] = await ClusterTestKit.EventuallyAsync(() => cluster.Client.GetGrain<ICounterGrain>(key).GetWritesAsync(), deadline - DateTime.UtcNow);
        }

        Assert.True(DateTime.UtcNow <= deadline, "Some grains did not answer within 15 s of the kill.");
        var acknowledged = result.Acknowledged.Sum(p => p.Value.Count);
        var found = result.Acknowledged.Sum(p => p.Value.Count(stored[p.Key].Contains));
        output.WriteLine($"acknowledged {acknowledged}, found {found}, failed (reported to the caller) {result.Failed.Count}, after the kill {result.AcknowledgedAfterEvent}");
        foreach (var failure in result.Failed.Take(3))
        {
            output.WriteLine("failure: " + failure);
        }

        Assert.Equal(acknowledged, found);
        Assert.True(result.AcknowledgedAfterEvent > 0, "No write succeeded after the kill.");
        Assert.All(cluster.ActiveSilos, s => Assert.DoesNotContain(s.ActivationIds.GroupBy(id => id), g => g.Count() > 1));
    }

    [ServerFact]
    public async Task GracefulStopHandsOverWithoutFailedCalls()
    {
        await using var cluster = CreateCluster().Build();
        await cluster.DeployAsync();
        var result = await WriteWhileAsync(cluster, grains: 120, writers: 8, () => cluster.StopSiloAsync(cluster.Silos[2]));
        output.WriteLine($"acknowledged {result.Acknowledged.Sum(p => p.Value.Count)}, failed {result.Failed.Count}, after the stop {result.AcknowledgedAfterEvent}");
        Assert.Empty(result.Failed);
        foreach (var (key, writes) in result.Acknowledged)
        {
            var stored = await cluster.Client.GetGrain<ICounterGrain>(key).GetWritesAsync();
            Assert.All(writes, w => Assert.Contains(w, stored));
        }

        Assert.Empty(cluster.Silos[2].ActivationIds);
    }

    [ServerFact]
    public async Task SiloCutOffFromTheMembershipTableStopsServing()
    {
        await using var cluster = CreateCluster().Build();
        await cluster.DeployAsync();
        var isolated = cluster.Silos[0];
        var keys = Enumerable.Range(0, 60).Select(i => $"split-{i}").ToArray();
        await Task.WhenAll(keys.Select(k => cluster.Client.GetGrain<ICounterGrain>(k).AddAsync(1)));

        isolated.CutOffFromMembershipTable();
        await ClusterTestKit.EventuallyAsync(() => isolated.IsServing ? Task.FromException<bool>(new InvalidOperationException("still serving")) : Task.FromResult(true), TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<SiloUnavailableException>(() => isolated.GrainFactory.GetGrain<ICounterGrain>("split-0").AddAsync(1));

        // The rest of the cluster declares it dead and serves every grain.
        foreach (var key in keys)
        {
            Assert.True(await ClusterTestKit.EventuallyAsync(() => cluster.Client.GetGrain<ICounterGrain>(key).AddAsync(1), TimeSpan.FromSeconds(15)) >= 2);
        }

        // Back in touch with the table, it finds itself declared dead and never serves again.
        isolated.ReconnectToMembershipTable();
        await Task.Delay(1000);
        Assert.False(isolated.IsServing);
        await Assert.ThrowsAnyAsync<Exception>(() => isolated.GrainFactory.GetGrain<ICounterGrain>("split-1").AddAsync(1));
    }

    /// <summary>Writers record unique write ids on grains until <paramref name="event"/> has happened and some more
    /// writes succeeded after it (bounded: at most 60,000 writes or 40 s).</summary>
    private static async Task<WriteResult> WriteWhileAsync(InProcessTestCluster cluster, int grains, int writers, Func<Task> @event)
    {
        var acknowledged = new ConcurrentDictionary<string, ConcurrentBag<int>>();
        var failed = new ConcurrentBag<string>();
        var nextId = 0;
        var afterEvent = 0;
        var eventDone = false;
        var stop = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        var eventTime = DateTime.MaxValue;

        async Task Writer()
        {
            while (DateTime.UtcNow < stop)
            {
                var id = Interlocked.Increment(ref nextId);
                if (id > 60_000 || Volatile.Read(ref afterEvent) > 2_000)
                {
                    return;
                }

                var key = $"write-{id % grains}";
                var done = Volatile.Read(ref eventDone);
                try
                {
                    await cluster.Client.GetGrain<ICounterGrain>(key).RecordAsync(id);
                    acknowledged.GetOrAdd(key, _ => []).Add(id);
                    if (done)
                    {
                        Interlocked.Increment(ref afterEvent);
                    }
                }
                catch (Exception ex)
                {
                    failed.Add($"{key} #{id}: {ex.GetType().Name}: {ex.Message}");
                }
            }
        }

        var tasks = Enumerable.Range(0, writers).Select(_ => Task.Run(Writer)).ToList();
        while (Volatile.Read(ref nextId) < 1_000 && DateTime.UtcNow < stop)
        {
            await Task.Delay(20);
        }

        eventTime = DateTime.UtcNow;
        await @event();
        Volatile.Write(ref eventDone, true);
        await Task.WhenAll(tasks);
        return new WriteResult(acknowledged.ToDictionary(p => p.Key, p => p.Value.ToList()), [.. failed], afterEvent, eventTime);
    }

    private sealed record WriteResult(Dictionary<string, List<int>> Acknowledged, List<string> Failed, int AcknowledgedAfterEvent, DateTime EventTime);
}

public sealed class InMemoryFailoverTests(ITestOutputHelper output) : FailoverScenarios(output)
{
    protected override InProcessTestClusterBuilder CreateCluster() => ClusterTestKit.MemoryCluster();
}
