using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OrleansMemory.Silo.Configuration;

namespace OrleansMemory.Silo.Health;

/// <summary>Whether this silo is an active member of its Orleans cluster, from Orleans' own membership view (refreshed
/// from the membership table for postgres and redis clustering).</summary>
internal sealed class MembershipHealthCheck(IServiceProvider services, IHostApplicationLifetime lifetime, IOptions<SiloOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var kind = options.Value.Clustering.Kind;
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The silo is shutting down."));
        }

        if (!lifetime.ApplicationStarted.IsCancellationRequested || services.GetService<IClusterMembershipService>() is not { } membership)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The silo has not finished starting."));
        }

        var self = services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var snapshot = membership.CurrentSnapshot;
        var active = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
        var status = snapshot.GetSiloStatus(self);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"{kind} membership (version {snapshot.Version.Value}): this silo is active; {active} active silo(s) of {snapshot.Members.Count}")
            : HealthCheckResult.Unhealthy($"{kind} membership (version {snapshot.Version.Value}): this silo is {status}"));
    }
}
