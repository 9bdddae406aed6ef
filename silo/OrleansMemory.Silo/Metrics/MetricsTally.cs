namespace OrleansMemory.Silo.Metrics;

/// <summary>Running totals of this silo's operations and storage work since start, for the dashboard's charts (the
/// exported figures are OpenTelemetry's; this is a few counters kept beside them, per silo).</summary>
public sealed class MetricsTally
{
    /// <summary>Upper bounds (milliseconds) of the latency buckets used for percentiles.</summary>
    public static readonly double[] BucketsMs = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    private readonly Lock _lock = new();
    private readonly long[] _buckets = new long[BucketsMs.Length + 1];
    private long _operations;
    private long _failed;
    private double _durationMs;
    private long _storageOperations;
    private long _storageErrors;
    private long _storageBytes;
    private double _storageMs;

    /// <summary>A copy of the totals now.</summary>
    public TallySnapshot Snapshot(DateTimeOffset at)
    {
        lock (_lock)
        {
            return new TallySnapshot(at, _operations, _failed, _durationMs, (long[])_buckets.Clone(), _storageOperations, _storageErrors, _storageBytes, _storageMs);
        }
    }

    internal void AddOperation(bool failed, TimeSpan elapsed)
    {
        var ms = elapsed.TotalMilliseconds;
        var index = Array.BinarySearch(BucketsMs, ms);
        lock (_lock)
        {
            _operations++;
            _failed += failed ? 1 : 0;
            _durationMs += ms;
            _buckets[index < 0 ? ~index : index]++;
        }
    }

    internal void AddStorage(bool failed, long bytes, TimeSpan elapsed)
    {
        lock (_lock)
        {
            _storageOperations++;
            _storageErrors += failed ? 1 : 0;
            _storageBytes += bytes;
            _storageMs += elapsed.TotalMilliseconds;
        }
    }
}

/// <summary>Totals at one moment.</summary>
/// <param name="At">When.</param>
/// <param name="Operations">Memory grain operations completed.</param>
/// <param name="FailedOperations">Of which failed.</param>
/// <param name="DurationMs">Sum of their durations.</param>
/// <param name="DurationBuckets">Per-bucket (non-cumulative) counts of their durations (<see cref="MetricsTally.BucketsMs"/>, then above).</param>
/// <param name="StorageOperations">Storage reads, writes and clears.</param>
/// <param name="StorageErrors">Of which failed.</param>
/// <param name="StorageBytes">State bytes read and written.</param>
/// <param name="StorageMs">Sum of their durations.</param>
public sealed record TallySnapshot(
    DateTimeOffset At, long Operations, long FailedOperations, double DurationMs, long[] DurationBuckets,
    long StorageOperations, long StorageErrors, long StorageBytes, double StorageMs);
