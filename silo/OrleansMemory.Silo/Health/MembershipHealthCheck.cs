using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OrleansMemory.Silo.Configuration;

namespace OrleansMemory.Silo.Health;

/// <summary>Whether this silo is an active member of its cluster. With localhost clustering the membership lives in
/// this process, so the silo is a member once the host has started.</summary>
internal sealed class MembershipHealthCheck(IHostApplicationLifetime lifetime, IOptions<SiloOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var kind = options.Value.Clustering.Kind;
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The silo is shutting down."));
        }

        return Task.FromResult(lifetime.ApplicationStarted.IsCancellationRequested
            ? HealthCheckResult.Healthy($"{kind} membership: this silo is active")
            : HealthCheckResult.Unhealthy("The silo has not finished starting."));
    }
}
