using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OrleansMemory.Membership;
using OrleansMemory.Silo.Configuration;

namespace OrleansMemory.Silo.Health;

/// <summary>Whether this silo is an active member of its cluster. With a membership table (sqlite, postgres, redis)
/// the table is read (a round trip) and must list active silos; with localhost clustering the membership lives in this
/// process, so the silo is a member once the host has started.</summary>
internal sealed class MembershipHealthCheck(IServiceProvider services, IHostApplicationLifetime lifetime, IOptions<SiloOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var kind = options.Value.Clustering.Kind;
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The silo is shutting down.");
        }

        if (!lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The silo has not finished starting.");
        }

        if (services.GetService<IMembershipTable>() is not { } table)
        {
            return HealthCheckResult.Healthy($"{kind} membership: this silo is active");
        }

        var data = await table.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        var active = data.Rows.Count(r => r.Entry.Status == SiloStatus.Active);
        var status = JsonNamingPolicy.SnakeCaseLower.ConvertName(nameof(SiloStatus.Active));
        return active > 0
            ? HealthCheckResult.Healthy($"{kind} membership table read: {active} {status} silo(s) of {data.Rows.Count}")
            : HealthCheckResult.Unhealthy($"{kind} membership table read: no active silo among {data.Rows.Count}");
    }
}
