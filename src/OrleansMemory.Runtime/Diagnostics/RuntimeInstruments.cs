using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansMemory.Runtime;

/// <summary>The runtime's metrics on the meter <c>OrleansMemory</c>.</summary>
internal sealed class RuntimeInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "OrleansMemory";

    private readonly Counter<long> _calls;
    private readonly Counter<long> _failedCalls;
    private readonly Histogram<double> _callDuration;
    private readonly UpDownCounter<long> _activations;
    private readonly Counter<long> _storageOperations;
    private readonly Counter<long> _storageErrors;
    private readonly Histogram<double> _storageDuration;

    public RuntimeInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _calls = meter.CreateCounter<long>("orleansmemory.grain.calls", "{call}", "Grain calls completed.");
        _failedCalls = meter.CreateCounter<long>("orleansmemory.grain.calls.failed", "{call}", "Grain calls that completed with an exception.");
        _callDuration = meter.CreateHistogram<double>("orleansmemory.grain.call.duration", "ms", "Time from dispatch to completion of a grain call.");
        _activations = meter.CreateUpDownCounter<long>("orleansmemory.grain.activations", "{activation}", "Live activations by grain type.");
        _storageOperations = meter.CreateCounter<long>("orleansmemory.storage.operations", "{operation}", "Grain storage reads, writes and clears.");
        _storageErrors = meter.CreateCounter<long>("orleansmemory.storage.errors", "{operation}", "Grain storage operations that failed.");
        _storageDuration = meter.CreateHistogram<double>("orleansmemory.storage.duration", "ms", "Duration of grain storage operations.");
    }

    public bool MeasureCallDuration => _callDuration.Enabled;

    public void CallCompleted(string grainType, string method, long startTimestamp, bool failed)
    {
        if (!_calls.Enabled && !_failedCalls.Enabled && startTimestamp == 0)
        {
            return;
        }

        var tags = new TagList { { "grain.type", grainType }, { "method", method } };
        _calls.Add(1, tags);
        if (failed)
        {
            _failedCalls.Add(1, tags);
        }

        if (startTimestamp != 0)
        {
            _callDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds, tags);
        }
    }

    public void ActivationAdded(string grainType) => _activations.Add(1, new KeyValuePair<string, object?>("grain.type", grainType));

    public void ActivationRemoved(string grainType) => _activations.Add(-1, new KeyValuePair<string, object?>("grain.type", grainType));

    public void StorageOperation(string provider, string operation, long startTimestamp, bool failed)
    {
        var tags = new TagList { { "provider", provider }, { "operation", operation } };
        _storageOperations.Add(1, tags);
        if (failed)
        {
            _storageErrors.Add(1, tags);
        }

        _storageDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds, tags);
    }
}
