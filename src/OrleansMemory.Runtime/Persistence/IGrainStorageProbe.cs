namespace OrleansMemory.Storage;

/// <summary>A storage provider's own proof that it works: a real round trip to its backend.</summary>
public interface IGrainStorageProbe
{
    /// <summary>Runs the round trip and describes the result; throws when it fails.</summary>
    Task<string> ProbeAsync(CancellationToken cancellationToken = default);
}
