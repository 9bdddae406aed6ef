using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansMemory.Storage;

/// <summary>Reports a storage provider healthy when <see cref="GrainStorageProbe"/> completes a round trip.</summary>
public sealed class GrainStorageHealthCheck(string name, IGrainStorage storage) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return HealthCheckResult.Healthy($"Storage '{name}': {await GrainStorageProbe.ProbeAsync(storage, cancellationToken).ConfigureAwait(false)}.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new HealthCheckResult(context?.Registration.FailureStatus ?? HealthStatus.Unhealthy, $"Storage '{name}' failed its round trip: {ex.Message}", ex);
        }
    }
}
