using OrleansMemory.Configuration;
using OrleansMemory.Hosting;

namespace OrleansMemory.Cluster.Tests;

public sealed class BackPressureTests
{
    [Fact]
    public async Task TinyQueuesAndRequestLimitsSlowCallersDownWithoutLosingCalls()
    {
        await using var cluster = ClusterTestKit.MemoryCluster(2)
            .ConfigureSilo((_, silo) => silo.Configure<ClusterTransportOptions>(o =>
            {
                o.MaxConcurrentRequestsPerConnection = 2;
                o.MaxQueuedMessagesPerConnection = 2;
            }))
            .ConfigureClient(c => c.Configure<ClusterTransportOptions>(o => o.MaxQueuedMessagesPerConnection = 2))
            .Build();
        await cluster.DeployAsync();
        var calls = Enumerable.Range(0, 200).Select(i => cluster.Client.GetGrain<ICounterGrain>($"bp-{i % 40}").WaitAsync(5, CancellationToken.None));
        var results = await Task.WhenAll(calls);
        Assert.All(results, r => Assert.Equal(5, r));
        var adds = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => cluster.Client.GetGrain<ICounterGrain>("bp-counter").AddAsync(1)));
        Assert.Equal(Enumerable.Range(1, 200), adds.Order());
    }
}
