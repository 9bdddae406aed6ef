namespace OrleansMemory.Configuration;

/// <summary>Call behaviour of the silo.</summary>
public sealed class SiloMessagingOptions
{
    /// <summary>A call that has not completed after this long fails with <see cref="TimeoutException"/>.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests a grain call runs inline on the caller's thread when the target activation is idle; deeper
    /// chains are queued. Inline execution saves a thread hop per call.</summary>
    public int MaxInlineCallDepth { get; set; } = 8;
}
