using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OrleansMemory.Abstractions;
using OrleansMemory.Silo.Configuration;
using OrleansMemory.Silo.Hosting;
using OrleansMemory.Storage;

namespace OrleansMemory.Silo.Api;

/// <summary>/v1/system: named system state per tenant, silo information, storage statistics.</summary>
internal static class SystemEndpoints
{
    public static void MapSystemEndpoints(this RouteGroupBuilder v1)
    {
        var system = v1.MapGroup("/system").WithTags("System");
        system.MapGet("", GetInfo).RequireAuthorization(Scopes.Any)
            .WithSummary("This silo: name, version, the caller's tenant; cluster and storage only to the operator scope.");
        system.MapPut("/state/{stateKey}", SetStateAsync).RequireAuthorization(Scopes.Write).WithSummary("Stores a named system state value (any JSON).");
        system.MapGet("/state/{stateKey}", GetStateAsync).RequireAuthorization(Scopes.Read).WithSummary("A named system state value.");
        system.MapDelete("/state/{stateKey}", DeleteStateAsync).RequireAuthorization(Scopes.Write).WithSummary("Deletes a named system state value.");
        v1.MapGet("/storage/stats", GetStorageStatsAsync).WithTags("System").RequireAuthorization(Scopes.Operator)
            .WithSummary("Record counts and sizes per provider and grain type, all tenants (operator).");
    }

    private static ISystemStateGrain Grain(HttpContext http, IGrainFactory grains, string stateKey) =>
        grains.GetGrain<ISystemStateGrain>(Ids.GrainKey(http.Tenant(), stateKey, "state_key"));

    private static Ok<SiloInfo> GetInfo(HttpContext http, IOptions<SiloOptions> options, StorageTopology storage, Auth.ApiKeyStore keys)
    {
        var o = options.Value;
        var version = typeof(SiloInfo).Assembly.GetName().Version?.ToString() ?? "0";
        return TypedResults.Ok(http.Has(Scopes.Operator)
            ? new SiloInfo(o.EffectiveSiloName, http.Tenant(), keys.Enabled, version, o.ClusterId, o.ServiceId, o.Clustering.Kind,
                storage.Providers, storage.GrainTypeRoutes)
            : new SiloInfo(o.EffectiveSiloName, http.Tenant(), keys.Enabled, version));
    }

    private static async Task<NoContent> SetStateAsync(HttpContext http, IGrainFactory grains, string stateKey, JsonElement value, CancellationToken ct)
    {
        await Grain(http, grains, stateKey).SetAsync(value, IdempotencyHeader.Of(http), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<JsonElement>> GetStateAsync(HttpContext http, IGrainFactory grains, string stateKey, CancellationToken ct) =>
        TypedResults.Ok(await Grain(http, grains, stateKey).GetAsync(ct) ?? throw new MemoryNotFoundException($"No system state '{stateKey}'."));

    private static async Task<NoContent> DeleteStateAsync(HttpContext http, IGrainFactory grains, string stateKey, CancellationToken ct)
    {
        await Grain(http, grains, stateKey).DeleteAsync(IdempotencyHeader.Of(http), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<ProviderStatistics>>> GetStorageStatsAsync(IServiceProvider services, StorageTopology storage, CancellationToken ct)
    {
        var result = new List<ProviderStatistics>();
        foreach (var provider in storage.Providers)
        {
            var stats = Catalog(services, provider.Name) is { } catalog ? await catalog.GetStatisticsAsync(ct) : null;
            result.Add(new ProviderStatistics(provider.Name, provider.Type, provider.Location, stats?.RecordCount ?? 0, stats?.PayloadBytes ?? 0, stats?.GrainTypes ?? []));
        }

        return TypedResults.Ok<IReadOnlyList<ProviderStatistics>>(result);
    }

    /// <summary>The provider's catalog, or null when it has none.</summary>
    internal static IGrainStorageCatalog? Catalog(IServiceProvider services, string provider)
    {
        try
        {
            return services.GetKeyedService<IGrainStorageCatalog>(provider);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}

/// <summary>What a silo tells about itself; the cluster's identity and storage only to the operator scope (null otherwise).</summary>
/// <param name="SiloName">Its name.</param>
/// <param name="Tenant">The caller's tenant.</param>
/// <param name="AuthRequired">Whether API keys are required.</param>
/// <param name="Version">The silo's version.</param>
/// <param name="ClusterId">Its cluster (operator).</param>
/// <param name="ServiceId">Its service (operator).</param>
/// <param name="Clustering">The clustering kind (operator).</param>
/// <param name="StorageProviders">The storage providers and where they keep data (operator).</param>
/// <param name="StorageRoutes">Grain types that use a provider other than the default (operator).</param>
public sealed record SiloInfo(
    string SiloName,
    string Tenant,
    bool AuthRequired,
    string Version,
    string? ClusterId = null,
    string? ServiceId = null,
    string? Clustering = null,
    IReadOnlyList<StorageProviderInfo>? StorageProviders = null,
    IReadOnlyDictionary<string, string>? StorageRoutes = null);

/// <summary>Statistics of one storage provider.</summary>
/// <param name="Name">The provider's name.</param>
/// <param name="Type">Its type.</param>
/// <param name="Location">Where it keeps data.</param>
/// <param name="RecordCount">Records in all grain types.</param>
/// <param name="PayloadBytes">Payload bytes in all grain types.</param>
/// <param name="GrainTypes">Per grain type.</param>
public sealed record ProviderStatistics(string Name, string Type, string Location, long RecordCount, long PayloadBytes, IReadOnlyList<GrainTypeStatistics> GrainTypes);
