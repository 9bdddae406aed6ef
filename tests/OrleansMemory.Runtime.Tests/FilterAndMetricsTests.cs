using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrleansMemory.Hosting;

namespace OrleansMemory.Runtime.Tests;

public sealed class FilterAndMetricsTests
{
    [Fact]
    public async Task Filters_SeeGrainMethodAndArguments_CanReject_AndCanMeasure()
    {
        var seen = new ConcurrentQueue<string>();
        var durations = new ConcurrentQueue<TimeSpan>();
        await using var silo = await TestSilo.StartAsync(s => s.AddGrainCallFilter(async context =>
        {
            seen.Enqueue($"{context.TargetId}|{context.MethodName}|{context.ImplementationMethod.DeclaringType!.Name}|{string.Join(",", context.Arguments.Select(a => a is string[] p ? string.Join("+", p) : a))}");
            if (context.Arguments is [string[] path] && path.Contains("forbidden"))
            {
                throw new UnauthorizedAccessException("path contains 'forbidden'");
            }

            var start = Stopwatch.GetTimestamp();
            await context.Invoke();
            durations.Enqueue(Stopwatch.GetElapsedTime(start));
            context.Result = (string)context.Result! + "!";
        }));

        var grain = silo.Grains.GetGrain<IPingGrain>("f");
        Assert.Equal("f!", await grain.PingAsync([]));
        Assert.Contains("ping/f|IPingGrain.PingAsync|PingGrain|", seen);
        var error = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => grain.PingAsync(["forbidden"]));
        Assert.Contains("forbidden", error.Message, StringComparison.Ordinal);
        Assert.Contains("ping/f|IPingGrain.PingAsync|PingGrain|forbidden", seen);
        Assert.Single(durations);
    }

    [Fact]
    public async Task Metrics_CountCallsFailuresDurationsAndActivations()
    {
        var measurements = new ConcurrentQueue<(string Instrument, double Value, string? GrainType)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "OrleansMemory")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue((i.Name, v, GrainType(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue((i.Name, v, GrainType(tags))));
        listener.Start();

        var key = Guid.NewGuid();
        await using (var silo = await TestSilo.StartAsync())
        {
            var grain = silo.Grains.GetGrain<IListGrain>(key);
            await grain.SetAsync(["a"]);
            await Assert.ThrowsAsync<InvalidOperationException>(() => grain.ThrowAsync("x"));
            Assert.Equal(1, Sum("orleansmemory.grain.activations"));
        }

        Assert.Equal(2, Count("orleansmemory.grain.calls"));
        Assert.Equal(1, Count("orleansmemory.grain.calls.failed"));
        Assert.Equal(2, Count("orleansmemory.grain.call.duration"));
        Assert.Equal(0, Sum("orleansmemory.grain.activations"));

        double Sum(string name) => measurements.Where(m => m.Instrument == name && m.GrainType == "list").Sum(m => m.Value);
        int Count(string name) => measurements.Count(m => m.Instrument == name && m.GrainType == "list");
    }

    private static string? GrainType(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "grain.type")
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}
