using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansMemory.Silo.Metrics;

/// <summary>Counts and times every grain call this silo serves (Orleans' system targets excepted) (an Orleans incoming grain call filter), by grain type:
/// <c>orleansmemory.grain.calls</c>, <c>orleansmemory.grain.calls.failed</c>, <c>orleansmemory.grain.call.duration</c> (ms).</summary>
internal sealed class GrainCallMetrics : IIncomingGrainCallFilter
{
    private readonly Counter<long> _calls;
    private readonly Counter<long> _failed;
    private readonly Histogram<double> _duration;

    public GrainCallMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MetricsCollector.MeterName);
        _calls = meter.CreateCounter<long>("orleansmemory.grain.calls", description: "Grain calls completed by this silo.");
        _failed = meter.CreateCounter<long>("orleansmemory.grain.calls.failed", description: "Grain calls that threw.");
        _duration = meter.CreateHistogram<double>("orleansmemory.grain.call.duration", "ms", "Time to serve a grain call.");
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.TargetId.IsSystemTarget())
        {
            await context.Invoke();
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var tag = new KeyValuePair<string, object?>("grain.type", context.TargetId.Type.ToString());
        try
        {
            await context.Invoke();
        }
        catch
        {
            _failed.Add(1, tag);
            throw;
        }
        finally
        {
            _calls.Add(1, tag);
            _duration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tag);
        }
    }
}
