namespace OrleansMemory.Cluster.Benchmarks;

/// <summary>Grain calls inside one silo process against plain method calls on <see cref="GuardedCounter"/> objects.</summary>
internal static class LocalBenchmarks
{
    private const int Grains = 1000;

    /// <summary>Runs the local cases and prints their table.</summary>
    public static async Task RunAsync(IGrainFactory factory, BenchSettings settings)
    {
        var grains = Enumerable.Range(0, Grains).Select(i => factory.GetGrain<IBenchGrain>(i)).ToArray();
        await Task.WhenAll(grains.Select(g => g.PingAsync(0)));
        var counters = Enumerable.Range(0, Grains).Select(_ => new GuardedCounter(yield: true)).ToArray();
        var syncCounter = new GuardedCounter(yield: false);

        // Warm-up: JIT and tier-up of every path measured below.
        await GrainToGrainAsync(grains, settings.GrainToGrainCalls / 10);
        await Measure.CountAsync("warm", 1, 20_000, (_, i) => Discard(syncCounter.PingAsync(i)));
        await Measure.CountAsync("warm", 1, 20_000, (_, i) => Discard(counters[0].PingAsync(i)));
        await Measure.ForAsync("warm", 64, settings.Warmup, (w, i) => Discard(grains[Pick(w, i, 64)].PingAsync(i)));

        Report.Header("Local calls (one silo process)");
        var sync = await Measure.CountAsync("method call, SemaphoreSlim (completes synchronously)", 1, settings.SyncBaselineCalls,
            (_, i) => Discard(syncCounter.PingAsync(i)));
        var yielding = await Measure.CountAsync("method call, SemaphoreSlim + Task.Yield", 1, settings.YieldBaselineCalls,
            (_, i) => Discard(counters[0].PingAsync(i)));
        var grainToGrain = await GrainToGrainAsync(grains, settings.GrainToGrainCalls);
        Report.Row(grainToGrain, yielding);
        Report.Row(grainToGrain, sync);

        var oneCaller = await Measure.ForAsync("silo host IGrainFactory, 1,000 grains", 1, settings.Duration,
            (_, i) => Discard(grains[i % Grains].PingAsync(i)));
        var oneBaseline = await Measure.ForAsync("SemaphoreSlim + Yield, 1,000 objects", 1, settings.Duration,
            (_, i) => Discard(counters[i % Grains].PingAsync(i)));
        Report.Row(oneCaller, oneBaseline);

        var many = await Measure.ForAsync("silo host IGrainFactory, 1,000 grains", 64, settings.Duration,
            (w, i) => Discard(grains[Pick(w, i, 64)].PingAsync(i)));
        var manyBaseline = await Measure.ForAsync("SemaphoreSlim + Yield, 1,000 objects", 64, settings.Duration,
            (w, i) => Discard(counters[Pick(w, i, 64)].PingAsync(i)));
        Report.Row(many, manyBaseline);
        Report.Note(await InlineShareAsync(grains));
    }

    /// <summary>How many silo-host calls had already completed when the call returned (the caller then never yields).</summary>
    private static async Task<string> InlineShareAsync(IBenchGrain[] grains)
    {
        var done = 0;
        const int Calls = 10_000;
        for (var i = 0; i < Calls; i++)
        {
            var call = grains[i % Grains].PingAsync(i);
            done += call.IsCompleted ? 1 : 0;
            await call;
        }

        return $"\nSilo-host calls already complete when the call returned (1 caller, {Calls:N0} calls): {100.0 * done / Calls:0.0} %.";
    }

    private static async Task<Figure> GrainToGrainAsync(IBenchGrain[] grains, int calls)
    {
        var run = await grains[0].CallPeerAsync(1, calls);
        return new Figure("grain to grain, sequential", 1, calls, run.Elapsed,
            Latencies.Microseconds(run.P50Ticks), Latencies.Microseconds(run.P99Ticks), Latencies.Microseconds(run.MeanTicks));
    }

    /// <summary>Spreads the callers' calls over all targets: caller w, iteration i.</summary>
    private static int Pick(int worker, int iteration, int callers) => (int)((worker + (long)iteration * callers) % Grains);

    private static ValueTask Discard<T>(Task<T> call) => new(call);
}
