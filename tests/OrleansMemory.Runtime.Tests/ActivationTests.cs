using OrleansMemory.Hosting;
namespace OrleansMemory.Runtime.Tests;

public sealed class ActivationTests
{
    [Fact]
    public async Task GetGrain_ActivatesNothing_FirstCallActivates_LaterCallsReuse()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("a");
        Assert.Equal(0, silo.Recorder.Constructed);
        Assert.Equal(GrainId.Create("counter", "a"), grain.GrainId);

        Assert.True(await grain.WasActivatedBeforeFirstCallAsync());
        Assert.Equal(1, silo.Recorder.Constructed);
        var first = await grain.GetInstanceIdAsync();
        var second = await silo.Grains.GetGrain<ICounterGrain>("a").GetInstanceIdAsync();
        Assert.Equal(first, second);
        Assert.Equal(1, silo.Recorder.Constructed);
    }

    [Fact]
    public async Task ThousandRacingFirstCalls_CreateOneActivation()
    {
        await using var silo = await TestSilo.StartAsync();
        var ids = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ =>
            Task.Run(() => silo.Grains.GetGrain<ICounterGrain>("race").GetInstanceIdAsync())));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, silo.Recorder.Constructed);
    }

    [Fact]
    public async Task Keys_OfEachKind_ReachTheGrain()
    {
        await using var silo = await TestSilo.StartAsync();
        Assert.Equal(-42, await silo.Grains.GetGrain<INumberGrain>(-42).GetKeyAsync());
        var guid = Guid.NewGuid();
        var list = silo.Grains.GetGrain<IListGrain>(guid);
        Assert.Equal(guid, list.GetPrimaryKey());
        Assert.Equal("weird/key with spaces", silo.Grains.GetGrain<ICounterGrain>("weird/key with spaces").GetPrimaryKeyString());
    }

    [Fact]
    public async Task UnknownStorageProvider_FailsActivation_NamingIt()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IMissingStorageGrain>("x");
        var error = await Assert.ThrowsAsync<GrainActivationException>(() => grain.GetAsync());
        Assert.Contains("no-such-provider", error.Message, StringComparison.Ordinal);

        // The failed activation is discarded: the next call tries again (and fails the same way) instead of hanging.
        await Assert.ThrowsAsync<GrainActivationException>(() => grain.GetAsync());
    }

    [Fact]
    public async Task Exceptions_ReachTheCaller_AndTheActivationSurvives()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IListGrain>(Guid.NewGuid());
        await grain.SetAsync(["kept"]);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.ThrowAsync("boom: bad input"));
        Assert.Equal("boom: bad input", error.Message);
        Assert.Equal(["kept"], await grain.GetAsync());
    }

    [Fact]
    public async Task DeactivateOnIdle_RunsOnDeactivate_AndNextCallReactivatesWithStoredState()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("d");
        await grain.IncrementAsync();
        await grain.IncrementAsync();
        var before = await grain.GetInstanceIdAsync();
        await grain.DeactivateAsync();

        await WaitUntil(() => silo.Recorder.Count("deactivate:d:ApplicationRequested") == 1);
        var after = await grain.GetInstanceIdAsync();
        Assert.NotEqual(before, after);
        Assert.Equal(2, await grain.GetAsync());
        Assert.Contains("activate:d:2", silo.Recorder.Events);
    }

    [Fact]
    public async Task IdleActivations_AreCollectedAfterCollectionAge()
    {
        await using var silo = await TestSilo.StartAsync(s => s.Configure<Configuration.GrainCollectionOptions>(o =>
        {
            o.CollectionAge = TimeSpan.FromMilliseconds(200);
            o.CollectionQuantum = TimeSpan.FromMilliseconds(50);
        }));
        await silo.Grains.GetGrain<ICounterGrain>("idle").IncrementAsync();
        await WaitUntil(() => silo.Recorder.Count("deactivate:idle:ActivationIdle") == 1);
        Assert.Equal(1, await silo.Grains.GetGrain<ICounterGrain>("idle").GetAsync());
        Assert.Equal(2, silo.Recorder.Constructed);
    }

    internal static async Task WaitUntil(Func<bool> condition, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "Condition not reached in time.");
            await Task.Delay(10);
        }
    }
}
