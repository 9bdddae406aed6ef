namespace OrleansMemory.Cluster.Benchmarks;

/// <summary>Calls from a separate client process (UseOrleansClient, TCP to the silo's gateway on loopback) against a
/// raw loopback TCP echo to the same process.</summary>
internal static class RemoteBenchmarks
{
    private const int Grains = 1000;

    /// <summary>Runs the remote cases at 1 and 64 callers and prints their table.</summary>
    public static async Task RunAsync(IClusterClient client, int echoPort, BenchSettings settings)
    {
        var grains = Enumerable.Range(0, Grains).Select(i => client.GetGrain<IBenchGrain>(i)).ToArray();
        await Task.WhenAll(grains.Select(g => g.PingAsync(0)));
        var echoes = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => TcpEcho.ConnectAsync(echoPort)));
        try
        {
            await Measure.ForAsync("warm", 64, settings.Warmup, (w, i) => new ValueTask(grains[(w + i * 64) % Grains].PingAsync(i)));
            await Measure.ForAsync("warm", 64, settings.Warmup, (w, i) => echoes[w].RoundTripAsync(i));

            Report.Header("Remote calls (client process -> silo process, loopback TCP)");
            foreach (var callers in new[] { 1, 64 })
            {
                var grain = await Measure.ForAsync("client grain call, 1,000 grains", callers, settings.Duration,
                    (w, i) => new ValueTask(grains[(int)((w + (long)i * callers) % Grains)].PingAsync(i)));
                var echo = await Measure.ForAsync("TCP echo, 8 bytes, 1 connection per caller", callers, settings.Duration,
                    (w, i) => echoes[w].RoundTripAsync(i));
                Report.Row(grain, echo);
            }
        }
        finally
        {
            foreach (var echo in echoes)
            {
                echo.Dispose();
            }
        }
    }
}
