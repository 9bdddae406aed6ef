using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace OrleansMemory.Silo.Metrics;

/// <summary>Live activations of this silo by grain type (<c>orleansmemory.grain.activations</c>, tag <c>grain.type</c>
/// such as <c>user</c>), read from Orleans' own activation counter (<c>orleans-grains</c>, tagged by grain class) of
/// this host's meters; Orleans' own grains are left out.</summary>
internal sealed class ActivationGauge : IDisposable
{
    private const string OrleansGrainCounts = "orleans-grains";
    private readonly ConcurrentDictionary<string, long> _byGrainClass = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _grainTypeOfClass = new(StringComparer.Ordinal);
    private readonly MeterListener _listener;

    public ActivationGauge(IMeterFactory meterFactory)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == OrleansGrainCounts && ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<int>((_, delta, tags, _) =>
        {
            // Orleans' own grains (the management grain, ...) are the runtime's business, not the application's.
            if (tags.Length > 0 && tags[0].Value is string grainClass && !grainClass.StartsWith("Orleans.", StringComparison.Ordinal))
            {
                _byGrainClass.AddOrUpdate(grainClass, delta, (_, count) => count + delta);
            }
        });
        _listener.Start();
        meterFactory.Create(MetricsCollector.MeterName).CreateObservableUpDownCounter(
            "orleansmemory.grain.activations", Observe, description: "Live grain activations on this silo.");
    }

    public void Dispose() => _listener.Dispose();

    private IEnumerable<Measurement<long>> Observe() => _byGrainClass
        .GroupBy(p => GrainTypeOf(p.Key), StringComparer.Ordinal)
        .Select(g => new Measurement<long>(g.Sum(p => p.Value), new KeyValuePair<string, object?>("grain.type", g.Key)));

    /// <summary>The grain type name ([GrainType], e.g. <c>user</c>) of a grain class named as Orleans tags it
    /// (<c>Namespace.Class,Assembly</c>); the class name when it has none.</summary>
    private string GrainTypeOf(string grainClass) => _grainTypeOfClass.GetOrAdd(grainClass, static name =>
        Type.GetType(name, throwOnError: false)?.GetCustomAttributes(typeof(GrainTypeAttribute), inherit: false)
            .OfType<GrainTypeAttribute>().FirstOrDefault() is { } attribute
            ? attribute.GetGrainType(null!, null!).ToString()!
            : name.Split(',')[0]);
}
