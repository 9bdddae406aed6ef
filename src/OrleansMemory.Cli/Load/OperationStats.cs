namespace OrleansMemory.Cli.Load;

/// <summary>Latencies and errors of one operation.</summary>
public sealed class OperationStats
{
    private readonly Lock _lock = new();
    private readonly List<double> _latencies = [];

    /// <summary>Successful operations.</summary>
    public int Count { get { lock (_lock) { return _latencies.Count; } } }

    /// <summary>Failed operations.</summary>
    public int Errors { get; private set; }

    /// <summary>The first failure, for the report.</summary>
    public string? FirstError { get; private set; }

    /// <summary>Records a success.</summary>
    public void Success(double milliseconds)
    {
        lock (_lock)
        {
            _latencies.Add(milliseconds);
        }
    }

    /// <summary>Records a failure.</summary>
    public void Failure(string error)
    {
        lock (_lock)
        {
            Errors++;
            FirstError ??= error;
        }
    }

    /// <summary>The latency at <paramref name="quantile"/> (nearest rank), 0 without data.</summary>
    public double Percentile(double quantile)
    {
        lock (_lock)
        {
            if (_latencies.Count == 0)
            {
                return 0;
            }

            var sorted = _latencies.Order().ToList();
            return sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1)];
        }
    }
}
