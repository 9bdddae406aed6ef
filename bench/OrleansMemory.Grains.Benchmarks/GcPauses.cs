using System.Diagnostics.Tracing;

namespace OrleansMemory.Grains.Benchmarks;

/// <summary>Every garbage-collection pause of this process while it listens (the runtime's GC events: from suspending
/// the threads to restarting them), so that a latency tail can be compared with the pauses that caused it; with
/// <c>recording</c>, only the pauses that end while it answers true.</summary>
internal sealed class GcPauses(Func<bool>? recording = null) : EventListener
{
    private const int SuspendBegin = 9; // GCSuspendEEBegin_V1
    private const int RestartEnd = 3;   // GCRestartEEEnd_V1
    private readonly List<double> _pauses = [];
    private DateTime? _suspended;

    /// <summary>The pauses seen so far, in milliseconds.</summary>
    public IReadOnlyList<double> Pauses
    {
        get
        {
            lock (_pauses)
            {
                return [.. _pauses];
            }
        }
    }

    /// <summary>Count, longest and total of the pauses, as one table cell.</summary>
    public string Summary()
    {
        var pauses = Pauses;
        return pauses.Count == 0 ? "0" : $"{pauses.Count}, max {pauses.Max():F1}, sum {pauses.Sum():F0}";
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Informational, (EventKeywords)0x1); // GC keyword
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventId == SuspendBegin)
        {
            _suspended = e.TimeStamp;
        }
        else if (e.EventId == RestartEnd && _suspended is { } start && (recording?.Invoke() ?? true))
        {
            lock (_pauses)
            {
                _pauses.Add((e.TimeStamp - start).TotalMilliseconds);
            }

            _suspended = null;
        }
    }
}
