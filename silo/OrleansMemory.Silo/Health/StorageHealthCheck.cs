using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OrleansMemory.Silo.Configuration;
using OrleansMemory.Silo.Hosting;

namespace OrleansMemory.Silo.Health;

/// <summary>Round-trips a probe record (write, read back, clear) through every storage provider.</summary>
internal sealed class StorageHealthCheck(IServiceProvider services, StorageTopology storage, IOptions<SiloOptions> options) : IHealthCheck
{
    /// <summary>The grain type of probe records; no grain has it.</summary>
    public const string ProbeGrainType = "siloprobe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failures = new List<string>();
        var grainId = GrainId.Create(ProbeGrainType, options.Value.EffectiveSiloName.Replace(':', '-'));
        foreach (var provider in storage.Providers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var store = services.GetRequiredKeyedService<IGrainStorage>(provider.Name);
                var written = new GrainState<ProbeState>(new ProbeState { Nonce = Guid.NewGuid().ToString("N") });
                var existing = new GrainState<ProbeState>();
                await store.ReadStateAsync("health", grainId, existing).ConfigureAwait(false);
                written.ETag = existing.ETag;
                await store.WriteStateAsync("health", grainId, written).ConfigureAwait(false);
                var read = new GrainState<ProbeState>();
                await store.ReadStateAsync("health", grainId, read).ConfigureAwait(false);
                if (read.State.Nonce != written.State.Nonce)
                {
                    failures.Add($"{provider.Name} ({provider.Type}): read back a different value than written");
                }

                await store.ClearStateAsync("health", grainId, read).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add($"{provider.Name} ({provider.Type}): {ex.Message}");
            }
        }

        return failures.Count == 0
            ? HealthCheckResult.Healthy($"{storage.Providers.Count} provider(s) round-tripped a record")
            : HealthCheckResult.Unhealthy(string.Join("; ", failures));
    }

    /// <summary>The probe record.</summary>
    internal sealed class ProbeState
    {
        public string Nonce { get; set; } = "";
    }
}
