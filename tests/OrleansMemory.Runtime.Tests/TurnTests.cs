using OrleansMemory.Configuration;
using OrleansMemory.Hosting;

namespace OrleansMemory.Runtime.Tests;

public sealed class TurnTests
{
    [Fact]
    public async Task NonReentrantGrain_RunsOneRequestAtATime()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("turns");
        await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(() => grain.IncrementAsync())));
        Assert.Equal(1000, await grain.GetAsync());
        Assert.Equal(0, silo.Recorder.Overlaps);
    }

    [Fact]
    public async Task NonReentrantGrain_QueuesBehindAnAwaitingRequest()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IGateGrain>("g");
        var waiting = grain.WaitAsync();
        var open = grain.OpenAsync();
        await Task.Delay(200);
        Assert.False(open.IsCompleted, "A plain call must not run while another request of a non-reentrant grain awaits.");
        await grain.OpenInterleavedAsync();
        Assert.Equal("opened-interleaved", await waiting);
        await open;
    }

    [Fact]
    public async Task InterleavingCall_QueuedDuringActivation_IsNotBlockedBehindAWaitingCall()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IGateGrain>("slow-gate");
        var waiting = grain.WaitAsync();
        var open = grain.OpenAsync();
        var interleaved = grain.OpenInterleavedAsync();
        Assert.Equal("opened-interleaved", await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        await Task.WhenAll(open, interleaved).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ReentrantGrain_InterleavesAtAwaits()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IReentrantGateGrain>("r");
        var waiting = grain.WaitAsync();
        await grain.OpenAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("opened", await waiting);
    }

    [Fact]
    public async Task ReadOnlyMethods_InterleaveWithEachOther()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IGateGrain>("ro");
        var readers = Enumerable.Range(0, 3).Select(_ => grain.ReadWaitingAsync(3)).ToArray();
        var counts = await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(counts, c => Assert.Equal(3, c));
    }

    [Fact]
    public async Task ReentrantGrain_CanCallItselfThroughGrainFactory()
    {
        await using var silo = await TestSilo.StartAsync();
        Assert.Equal(20, await silo.Grains.GetGrain<IReentrantGateGrain>("self").CountDownViaSelfAsync(20).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task GrainToGrainCalls_Work()
    {
        await using var silo = await TestSilo.StartAsync();
        Assert.Equal("a>b>c", await silo.Grains.GetGrain<IPingGrain>("a").PingAsync(["b", "c"]));
    }

    [Fact]
    public async Task NonReentrantCycle_FailsWithTimeoutErrorNamingTheCycle()
    {
        await using var silo = await TestSilo.StartAsync();
        var error = await Assert.ThrowsAsync<DeadlockException>(() => silo.Grains.GetGrain<IPingGrain>("A").PingAsync(["B", "A"]).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.IsAssignableFrom<TimeoutException>(error);
        Assert.Equal(["ping/A.PingAsync", "ping/B.PingAsync", "ping/A.PingAsync"], error.CallChain);
        Assert.Contains("ping/A.PingAsync -> ping/B.PingAsync -> ping/A.PingAsync", error.Message, StringComparison.Ordinal);

        // The grains are usable afterwards.
        Assert.Equal("A>B", await silo.Grains.GetGrain<IPingGrain>("A").PingAsync(["B"]));
    }

    [Fact]
    public async Task HangingCall_TimesOutAfterResponseTimeout_WithItsCallChain()
    {
        await using var silo = await TestSilo.StartAsync(s => s.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMilliseconds(300)));
        var grain = silo.Grains.GetGrain<IPingGrain>("hang");
        var error = await Assert.ThrowsAsync<TimeoutException>(() => grain.HangAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("ping/hang.HangAsync", error.Message, StringComparison.Ordinal);
        Assert.Contains("00:00:00.3", error.Message, StringComparison.Ordinal);

        // A call queued behind the hanging one times out too, instead of waiting forever.
        var queued = await Assert.ThrowsAsync<TimeoutException>(() => grain.PingAsync([]).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("busy with ping/hang.HangAsync", queued.Message, StringComparison.Ordinal);
    }
}
