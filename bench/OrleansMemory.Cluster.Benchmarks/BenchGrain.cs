using System.Diagnostics;

namespace OrleansMemory.Cluster.Benchmarks;

/// <summary>The measured grain: an echo, and a loop of sequential calls to a peer made from inside the grain.
/// No <see cref="CancellationToken"/> parameters, so that the call itself is what is measured.</summary>
[Alias("bench.IBenchGrain")]
public interface IBenchGrain : IGrainWithIntegerKey
{
    /// <summary>Returns <paramref name="value"/> + 1.</summary>
    Task<int> PingAsync(int value);

    /// <summary>Calls <see cref="PingAsync"/> on grain <paramref name="peer"/> <paramref name="calls"/> times, one after
    /// the other, from inside this grain; returns the latencies in stopwatch ticks.</summary>
    Task<PeerRun> CallPeerAsync(long peer, int calls);
}

/// <summary>What <see cref="IBenchGrain.CallPeerAsync"/> measured.</summary>
/// <param name="Elapsed">Wall time of the whole loop.</param>
/// <param name="P50Ticks">Median call latency, stopwatch ticks.</param>
/// <param name="P99Ticks">99th percentile call latency, stopwatch ticks.</param>
/// <param name="MeanTicks">Mean call latency, stopwatch ticks.</param>
[GenerateSerializer, Alias("bench.PeerRun")]
public sealed record PeerRun(TimeSpan Elapsed, long P50Ticks, long P99Ticks, long MeanTicks);

/// <summary>Implements <see cref="IBenchGrain"/>.</summary>
[GrainType("bench")]
public sealed class BenchGrain : Grain, IBenchGrain
{
    /// <inheritdoc/>
    public Task<int> PingAsync(int value) => Task.FromResult(value + 1);

    /// <inheritdoc/>
    public async Task<PeerRun> CallPeerAsync(long peer, int calls)
    {
        var target = GrainFactory.GetGrain<IBenchGrain>(peer);
        var ticks = new long[calls];
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < calls; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await target.PingAsync(i);
            ticks[i] = Stopwatch.GetTimestamp() - t;
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        Array.Sort(ticks);
        return new PeerRun(elapsed, Latencies.At(ticks, 50), Latencies.At(ticks, 99), calls == 0 ? 0 : ticks.Sum() / calls);
    }
}
