namespace OrleansMemory.Cluster.Tests;

public sealed class PlacementTests
{
    [Fact]
    public async Task TenThousandGrainsSpreadOverThreeSilosEachActiveOnce()
    {
        await using var cluster = ClusterTestKit.MemoryCluster().Build();
        await cluster.DeployAsync();
        var keys = Enumerable.Range(0, 10_000).Select(i => $"spread-{i}").ToArray();
        foreach (var batch in keys.Chunk(500))
        {
            var results = await Task.WhenAll(batch.Select(k => cluster.Client.GetGrain<ICounterGrain>(k).AddAsync(1)));
            Assert.All(results, r => Assert.Equal(1, r));
        }

        var perSilo = cluster.Silos.Select(s => s.ActivationIds.Where(id => id.Type == "clustercounter").ToList()).ToList();
        var all = perSilo.SelectMany(ids => ids).ToList();
        Assert.Equal(keys.Length, all.Count);
        Assert.Equal(keys.Length, all.Distinct().Count());
        Assert.All(perSilo, ids => Assert.InRange(ids.Count, 1, keys.Length / 2));
    }

    [Fact]
    public async Task CallsFromInsideSilosReachTheSameActivation()
    {
        await using var cluster = ClusterTestKit.MemoryCluster().Build();
        await cluster.DeployAsync();
        for (var i = 0; i < 30; i++)
        {
            var silo = cluster.Silos[i % 3];
            Assert.Equal(i + 1, await silo.GrainFactory.GetGrain<ICounterGrain>("shared").AddAsync(1));
        }

        Assert.Single(cluster.Silos, s => s.ActivationIds.Contains(GrainId.Create("clustercounter", "shared")));
    }
}
