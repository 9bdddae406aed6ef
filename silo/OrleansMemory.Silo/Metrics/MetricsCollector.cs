using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace OrleansMemory.Silo.Metrics;

/// <summary>Aggregates the measurements of this host's <c>OrleansMemory</c> meter (only meters created by this host's
/// <see cref="IMeterFactory"/>, so several silos in one process keep apart): counters and up-down counters as sums per
/// tag set, histograms as fixed buckets with sum and count.</summary>
public sealed class MetricsCollector : IDisposable
{
    /// <summary>The meter whose instruments are collected.</summary>
    public const string MeterName = "OrleansMemory";

    /// <summary>Histogram bucket upper bounds (milliseconds for durations).</summary>
    public static readonly double[] Buckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    private readonly ConcurrentDictionary<Instrument, InstrumentSeries> _instruments = new();
    private readonly MeterListener _listener;

    /// <summary>Starts listening.</summary>
    public MetricsCollector(IMeterFactory meterFactory)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    _instruments[instrument] = new InstrumentSeries(instrument);
                    listener.EnableMeasurementEvents(instrument, this);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, state) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, state) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The instruments seen so far, with their series; observable instruments are read first.</summary>
    public IReadOnlyList<InstrumentSeries> Collect()
    {
        _listener.RecordObservableInstruments();
        return [.. _instruments.Values.OrderBy(i => i.Instrument.Name, StringComparer.Ordinal)];
    }

    /// <summary>The instrument named <paramref name="name"/>, if it was published.</summary>
    public InstrumentSeries? Find(string name) => _instruments.Values.FirstOrDefault(i => i.Instrument.Name == name);

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_instruments.TryGetValue(instrument, out var series))
        {
            series.Record(value, tags);
        }
    }
}

/// <summary>One instrument's aggregated series, by tag set.</summary>
public sealed class InstrumentSeries(Instrument instrument)
{
    private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);

    /// <summary>The instrument.</summary>
    public Instrument Instrument { get; } = instrument;

    /// <summary>Whether it is a histogram.</summary>
    public bool IsHistogram => Instrument is Histogram<double> or Histogram<long> or Histogram<int>;

    /// <summary>Whether it only grows (a counter).</summary>
    public bool IsMonotonic => Instrument is Counter<long> or Counter<double> or Counter<int> or ObservableCounter<long> or ObservableCounter<double>;

    /// <summary>The series, ordered by tags.</summary>
    public IReadOnlyList<Series> Series => [.. _series.Values.OrderBy(s => s.Key, StringComparer.Ordinal)];

    /// <summary>The sum over all series (for histograms: the count of all).</summary>
    public double Total => _series.Values.Sum(s => IsHistogram ? s.Count : s.Value);

    internal void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var pairs = new KeyValuePair<string, string>[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            pairs[i] = new(tags[i].Key, Convert.ToString(tags[i].Value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
        }

        Array.Sort(pairs, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var key = string.Join(',', pairs.Select(p => p.Key + "=" + p.Value));
        var series = _series.GetOrAdd(key, _ => new Series(key, pairs, IsHistogram));
        series.Record(value, IsHistogram, replace: Instrument.IsObservable);
    }
}

/// <summary>One tag set's aggregate.</summary>
public sealed class Series(string key, IReadOnlyList<KeyValuePair<string, string>> tags, bool histogram)
{
    private readonly Lock _lock = new();
    private readonly long[]? _buckets = histogram ? new long[MetricsCollector.Buckets.Length + 1] : null;

    /// <summary>The tags as one string.</summary>
    public string Key { get; } = key;

    /// <summary>The tags.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; } = tags;

    /// <summary>Sum of measurements (counters, up-down counters, histograms) or the last observation (observable gauges).</summary>
    public double Value { get; private set; }

    /// <summary>Measurements recorded (histograms).</summary>
    public long Count { get; private set; }

    /// <summary>A copy of the histogram's per-bucket (non-cumulative) counts; the last is above every bound.</summary>
    public long[] BucketCounts()
    {
        lock (_lock)
        {
            return _buckets is null ? [] : (long[])_buckets.Clone();
        }
    }

    internal void Record(double value, bool isHistogram, bool replace)
    {
        lock (_lock)
        {
            Value = replace ? value : Value + value;
            Count++;
            if (isHistogram && _buckets is not null)
            {
                var index = Array.BinarySearch(MetricsCollector.Buckets, value);
                _buckets[index < 0 ? ~index : index]++;
            }
        }
    }
}
