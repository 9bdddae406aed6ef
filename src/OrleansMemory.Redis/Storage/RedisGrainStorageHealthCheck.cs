using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansMemory.Redis;

/// <summary>Reports a Redis storage healthy when a probe key can be written, read back and deleted.</summary>
public sealed class RedisGrainStorageHealthCheck(RedisGrainStorage storage) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var description = await storage.ProbeAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"Storage '{storage.Name}': {description}.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new HealthCheckResult(context?.Registration.FailureStatus ?? HealthStatus.Unhealthy, $"Storage '{storage.Name}' failed its round trip: {ex.Message}", ex);
        }
    }
}
