namespace OrleansMemory.Client;

/// <summary>The result of <see cref="MemoryStore.HealthCheckAsync"/>.</summary>
/// <param name="Healthy">Whether a grain could write, read back and delete a probe value through storage.</param>
/// <param name="Latency">How long the probe took.</param>
/// <param name="Error">What failed, when unhealthy.</param>
public sealed record MemoryStoreHealth(bool Healthy, TimeSpan Latency, string? Error);
