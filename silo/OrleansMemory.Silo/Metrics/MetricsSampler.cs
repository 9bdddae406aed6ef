namespace OrleansMemory.Silo.Metrics;

/// <summary>Keeps the last minutes of call totals (one sample every <see cref="Interval"/>) for the dashboard's chart.</summary>
public sealed class MetricsSampler(MetricsCollector collector, TimeProvider time) : BackgroundService
{
    /// <summary>Time between samples.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>Samples kept (five minutes).</summary>
    public const int Capacity = 150;

    private readonly Lock _lock = new();
    private readonly Queue<MetricsSample> _samples = new();

    /// <summary>The samples, oldest first.</summary>
    public IReadOnlyList<MetricsSample> Samples()
    {
        lock (_lock)
        {
            return [.. _samples];
        }
    }

    /// <summary>Takes a sample now; <paramref name="keep"/> adds it to <see cref="Samples"/>.</summary>
    public MetricsSample Sample(bool keep = true)
    {
        var calls = collector.Find("orleansmemory.grain.calls");
        var failed = collector.Find("orleansmemory.grain.calls.failed");
        var duration = collector.Find("orleansmemory.grain.call.duration");
        var buckets = new long[MetricsCollector.Buckets.Length + 1];
        double durationSum = 0;
        long durationCount = 0;
        foreach (var series in duration?.Series ?? [])
        {
            durationSum += series.Value;
            durationCount += series.Count;
            var counts = series.BucketCounts();
            for (var i = 0; i < counts.Length; i++)
            {
                buckets[i] += counts[i];
            }
        }

        var sample = new MetricsSample(time.GetUtcNow(), (long)(calls?.Total ?? 0), (long)(failed?.Total ?? 0), durationSum, durationCount, buckets);
        if (!keep)
        {
            return sample;
        }

        lock (_lock)
        {
            _samples.Enqueue(sample);
            while (_samples.Count > Capacity)
            {
                _samples.Dequeue();
            }
        }

        return sample;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        Sample();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Sample();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}

/// <summary>Call totals at one moment.</summary>
/// <param name="At">When.</param>
/// <param name="Calls">Grain calls completed so far.</param>
/// <param name="FailedCalls">Grain calls failed so far.</param>
/// <param name="DurationSumMs">Sum of call durations so far.</param>
/// <param name="DurationCount">Calls measured so far.</param>
/// <param name="DurationBuckets">Per-bucket counts of call durations so far.</param>
public sealed record MetricsSample(DateTimeOffset At, long Calls, long FailedCalls, double DurationSumMs, long DurationCount, long[] DurationBuckets);
