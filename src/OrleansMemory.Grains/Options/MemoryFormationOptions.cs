namespace OrleansMemory.Grains;

/// <summary>Background memory formation by conversations (<see cref="MemoryGrainOptions.Formation"/>).</summary>
public sealed class MemoryFormationOptions
{
    /// <summary>Messages given to the extractor in one step: 50.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Earlier messages given with a batch as context (nothing is extracted from them): 4.</summary>
    public int ContextMessages { get; set; } = 4;

    /// <summary>How long the conversation must be quiet after an append before formation starts, so that a burst of
    /// appends forms in one batch, in its gap: 200 ms.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest a waiting append waits for formation to start while appends keep arriving (each append
    /// otherwise restarts the <see cref="Delay"/>): 2 seconds.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Formation steps running at once in a silo, over all its conversations: 1. Background work then takes at
    /// most about one core's share, however many conversations have a backlog.</summary>
    public int MaxConcurrentSteps { get; set; } = 1;

    /// <summary>The silo process's CPU use (percent, Orleans' filtered figure) at or above which a formation step waits
    /// before it runs, so that background work gives way to interactive calls: 70. 100 turns yielding off.</summary>
    public double YieldAboveCpuPercent { get; set; } = 70;

    /// <summary>The longest a step waits for the CPU to quieten before it runs anyway, so that a silo that stays busy still
    /// forms memories (one step per this interval per slot at worst): 5 seconds.</summary>
    public TimeSpan MaxYield { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest a step (extraction and adds) may take before it is abandoned and retried: 2 minutes.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The wait before the first retry of a failed step; each further failure doubles it: 1 second.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between retries: 5 minutes.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The silo-wide default: formation for conversations without a setting of their own, once an append names
    /// their user; null (the default): none, formation runs only where it was turned on.</summary>
    public FormationDefaultOptions? Default { get; set; }

    /// <summary>Problems with the values, for the options validator.</summary>
    internal IEnumerable<string> Problems()
    {
        if (BatchSize is < 1 or > 10_000)
        {
            yield return $"BatchSize must be 1..10000 (is {BatchSize}).";
        }

        if (MaxConcurrentSteps is < 1 or > 1024)
        {
            yield return $"MaxConcurrentSteps must be 1..1024 (is {MaxConcurrentSteps}).";
        }

        if (!(YieldAboveCpuPercent is >= 0 and <= 100) || MaxYield < TimeSpan.Zero || MaxYield > TimeSpan.FromMinutes(10))
        {
            yield return $"YieldAboveCpuPercent must be 0..100 (is {YieldAboveCpuPercent}) and MaxYield 0..00:10:00 (is {MaxYield}).";
        }

        if (ContextMessages is < 0 or > 100)
        {
            yield return $"ContextMessages must be 0..100 (is {ContextMessages}).";
        }

        if (Delay < TimeSpan.Zero || RetryDelay <= TimeSpan.Zero || MaxRetryDelay < RetryDelay || MaxDelay < Delay || StepTimeout <= TimeSpan.Zero)
        {
            yield return "Delay must not be negative, RetryDelay and StepTimeout must be positive, MaxRetryDelay at least RetryDelay and MaxDelay at least Delay.";
        }
    }
}
