namespace OrleansMemory.Silo.Metrics;

/// <summary>Keeps the last minutes of this silo's running totals (one sample every <see cref="Interval"/>) for the
/// dashboard's charts.</summary>
public sealed class MetricsSampler(MemoryMetrics metrics, TimeProvider time) : BackgroundService
{
    /// <summary>Time between samples.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>Samples kept (five minutes).</summary>
    public const int Capacity = 150;

    private readonly Lock _lock = new();
    private readonly Queue<TallySnapshot> _samples = new();

    /// <summary>The samples, oldest first.</summary>
    public IReadOnlyList<TallySnapshot> Samples()
    {
        lock (_lock)
        {
            return [.. _samples];
        }
    }

    /// <summary>Takes a sample now; <paramref name="keep"/> adds it to <see cref="Samples"/>.</summary>
    public TallySnapshot Sample(bool keep = true)
    {
        var sample = metrics.Tally.Snapshot(time.GetUtcNow());
        if (keep)
        {
            lock (_lock)
            {
                _samples.Enqueue(sample);
                while (_samples.Count > Capacity)
                {
                    _samples.Dequeue();
                }
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
