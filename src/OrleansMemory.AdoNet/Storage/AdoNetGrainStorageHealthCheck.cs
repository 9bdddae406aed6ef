using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansMemory.AdoNet;

/// <summary>Reports an ADO.NET storage healthy when a probe row can be written and read back (then rolled back).</summary>
public sealed class AdoNetGrainStorageHealthCheck(AdoNetGrainStorage storage) : IHealthCheck
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
