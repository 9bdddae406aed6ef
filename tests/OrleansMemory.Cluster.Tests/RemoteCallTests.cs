using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansMemory.Configuration;
using OrleansMemory.Hosting;
using OrleansMemory.TestingHost;

namespace OrleansMemory.Cluster.Tests;

public sealed class RemoteCallTests : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = ClusterTestKit.MemoryCluster(2)
            .ConfigureSilo((_, silo) => silo.UseSharedSecret("s3cret"))
            .ConfigureClient(c => c.UseSharedSecret("s3cret"))
            .Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    /// <summary>A key whose grain lives on the given silo.</summary>
    private string KeyOn(InProcessSiloHandle silo, string prefix)
    {
        for (var i = 0; ; i++)
        {
            var key = $"{prefix}-{i}";
            if (silo.SiloAddress.Equals(silo.HomeOf(GrainId.Create("clustercounter", key))))
            {
                return key;
            }
        }
    }

    [Fact]
    public async Task ExceptionsCrossWithTheirTypeAndMessage()
    {
        var key = KeyOn(_cluster.Silos[1], "ex");
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _cluster.Silos[0].GrainFactory.GetGrain<ICounterGrain>(key).FailAsync("bad input"));
        Assert.Equal("bad input", error.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => _cluster.Client.GetGrain<ICounterGrain>(key).FailAsync("from client"));
    }

    [Fact]
    public async Task TheCallChainCrossesSilos()
    {
        var first = KeyOn(_cluster.Silos[0], "chain-a");
        var second = KeyOn(_cluster.Silos[1], "chain-b");
        var chain = await _cluster.Client.GetGrain<ICounterGrain>(first).ChainToAsync(second);
        Assert.Contains($"clustercounter/{first}.ChainToAsync", chain);
    }

    [Fact]
    public async Task GrainReferencesPassAsArguments()
    {
        var caller = _cluster.Client.GetGrain<ICounterGrain>(KeyOn(_cluster.Silos[0], "ref-a"));
        var target = _cluster.Client.GetGrain<ICounterGrain>(KeyOn(_cluster.Silos[1], "ref-b"));
        Assert.Equal(5, await caller.CallOtherAsync(target, 5));
        Assert.Equal(5, await target.GetAsync());
    }

    [Fact]
    public async Task CancellationReachesTheRemoteGrain()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var grain = _cluster.Client.GetGrain<ICounterGrain>(KeyOn(_cluster.Silos[1], "cancel"));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => grain.WaitAsync(60_000, cancellation.Token));
        Assert.Equal(1, await grain.WaitAsync(1, CancellationToken.None));
    }

    [Fact]
    public async Task AClientWithTheWrongSecretIsRefused()
    {
        var builder = new ClientBuilder();
        builder.ConfigureCluster(_cluster.ClusterId, _cluster.ServiceId)
            .UseStaticGateways(_cluster.Silos[0].SiloAddress.Endpoint)
            .UseSharedSecret("wrong")
            .Configure<ClientGatewayOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(2));
        await using var client = builder.Build();
        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() => client.ConnectAsync());
        Assert.Contains("secret", error.Message);
    }

    [Fact]
    public async Task AHostedClientWithStaticGatewaysRoutesToTheHomeSilo()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseClusterClient(c => c
            .ConfigureCluster(_cluster.ClusterId, _cluster.ServiceId)
            .UseStaticGateways(_cluster.Silos[0].SiloAddress.Endpoint)
            .UseSharedSecret("s3cret"));
        using var host = builder.Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var key = KeyOn(_cluster.Silos[1], "hosted");
        Assert.Equal(3, await grains.GetGrain<ICounterGrain>(key).AddAsync(3));
        Assert.True(_cluster.Silos[1].ActivationIds.Contains(GrainId.Create("clustercounter", key)),
            $"{key}: silo0 {string.Join(",", _cluster.Silos[0].ActivationIds)} silo1 {string.Join(",", _cluster.Silos[1].ActivationIds)} client ring {string.Join(",", ((Runtime.ClusterClient)host.Services.GetRequiredService<IClusterClient>()).Router!.Ring.Silos)} home {_cluster.Silos[1].HomeOf(GrainId.Create("clustercounter", key))}");
        Assert.True(host.Services.GetRequiredService<IClusterClient>().IsConnected);
        await host.StopAsync();
    }

    [Fact]
    public async Task AJoiningSiloTakesOverItsGrainsWhichMoveOnce()
    {
        var keys = Enumerable.Range(0, 300).Select(i => $"join-{i}").ToArray();
        await Task.WhenAll(keys.Select(k => _cluster.Client.GetGrain<ICounterGrain>(k).AddAsync(1)));
        var third = await _cluster.StartAdditionalSiloAsync();
        await _cluster.WaitForLivenessToStabilizeAsync(3, TimeSpan.FromSeconds(10));
        await ClusterTestKit.EventuallyAsync(async () =>
        {
            var values = await Task.WhenAll(keys.Select(k => _cluster.Client.GetGrain<ICounterGrain>(k).GetAsync()));
            Assert.All(values, v => Assert.Equal(1, v));
            return true;
        }, TimeSpan.FromSeconds(10));
        var all = _cluster.ActiveSilos.SelectMany(s => s.ActivationIds).Where(id => id.Type == "clustercounter" && id.Key.StartsWith("join-", StringComparison.Ordinal)).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Contains(third.ActivationIds, id => id.Key.StartsWith("join-", StringComparison.Ordinal));
    }
}
