namespace OrleansMemory.Runtime.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public async Task Timers_RunAsTurns_NeverConcurrentlyWithRequests_AndStopOnDeactivation()
    {
        await using var silo = await TestSilo.StartAsync();
        var grain = silo.Grains.GetGrain<ITimerGrain>("t");
        await grain.StartAsync(periodMs: 5);
        for (var i = 0; i < 40; i++)
        {
            await grain.BusyRequestAsync();
        }

        await ActivationTests.WaitUntil(() => silo.Recorder.Count("tick") >= 5);
        Assert.Equal(0, silo.Recorder.Overlaps);

        await grain.StopAsync();
        await Task.Delay(100);
        var ticksAfterStop = silo.Recorder.Count("tick");
        await Task.Delay(200);
        Assert.Equal(ticksAfterStop, silo.Recorder.Count("tick"));
    }

    [Fact]
    public async Task Shutdown_DeactivatesEveryActivation_AndLaterCallsFailClearly()
    {
        var silo = await TestSilo.StartAsync();
        var recorder = silo.Recorder;
        var grains = Enumerable.Range(0, 50).Select(i => silo.Grains.GetGrain<ICounterGrain>("s" + i)).ToArray();
        await Task.WhenAll(grains.Select(g => g.IncrementAsync()));
        await silo.DisposeAsync();

        Assert.Equal(50, recorder.Count("deactivate:s"));
        Assert.All(recorder.Events.Where(e => e.StartsWith("deactivate:", StringComparison.Ordinal)),
            e => Assert.EndsWith(":ShuttingDown", e, StringComparison.Ordinal));
        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() => grains[0].GetAsync());
        Assert.Contains("stopped", error.Message, StringComparison.Ordinal);
    }
}
