using System.Diagnostics.Metrics;

namespace OrleansMemory.Grains.Benchmarks;

/// <summary>Counts the calls that waited for their user's searches, from the meter the grains publish
/// (<c>orleansmemory.search.waited_calls</c>).</summary>
internal sealed class SearchWaits : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public SearchWaits()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "orleansmemory.search.waited_calls")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
