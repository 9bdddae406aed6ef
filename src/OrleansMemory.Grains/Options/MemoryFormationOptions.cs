namespace OrleansMemory.Grains;

/// <summary>Background memory formation by conversations (<see cref="MemoryGrainOptions.Formation"/>).</summary>
public sealed class MemoryFormationOptions
{
    /// <summary>Messages given to the extractor in one step: 50.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Earlier messages given with a batch as context (nothing is extracted from them): 4.</summary>
    public int ContextMessages { get; set; } = 4;

    /// <summary>How long after an append formation starts, so that a burst of appends forms in one batch: 20 ms.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The wait before the first retry of a failed step; each further failure doubles it: 1 second.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between retries: 5 minutes.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Problems with the values, for the options validator.</summary>
    internal IEnumerable<string> Problems()
    {
        if (BatchSize is < 1 or > 10_000)
        {
            yield return $"BatchSize must be 1..10000 (is {BatchSize}).";
        }

        if (ContextMessages is < 0 or > 100)
        {
            yield return $"ContextMessages must be 0..100 (is {ContextMessages}).";
        }

        if (Delay < TimeSpan.Zero || RetryDelay <= TimeSpan.Zero || MaxRetryDelay < RetryDelay)
        {
            yield return "Delay must not be negative, RetryDelay must be positive and MaxRetryDelay at least RetryDelay.";
        }
    }
}
