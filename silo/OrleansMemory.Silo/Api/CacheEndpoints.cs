using Microsoft.AspNetCore.Http.HttpResults;
using OrleansMemory.Abstractions;
using OrleansMemory.Silo.Api.Requests;

namespace OrleansMemory.Silo.Api;

/// <summary>/v1/cache/{cacheKey}: the LLM generation cache with a time to live.</summary>
internal static class CacheEndpoints
{
    public static void MapCacheEndpoints(this RouteGroupBuilder v1)
    {
        var entry = v1.MapGroup("/cache/{cacheKey}").WithTags("Cache");
        entry.MapPut("", SetAsync).RequireAuthorization(Scopes.Write).WithSummary("Stores a value with an optional time to live.");
        entry.MapGet("", GetAsync).RequireAuthorization(Scopes.Read).WithSummary("Reads a live entry (404 when absent or expired).");
        entry.MapDelete("", RemoveAsync).RequireAuthorization(Scopes.Write).WithSummary("Deletes an entry.");
        entry.MapGet("/stats", GetStatsAsync).RequireAuthorization(Scopes.Read).WithSummary("Hit and miss counters of an entry.");
    }

    private static ICacheGrain Grain(HttpContext http, IGrainFactory grains, string cacheKey) =>
        grains.GetGrain<ICacheGrain>(Ids.GrainKey(http.Tenant(), cacheKey, "cache_key"));

    private static async Task<NoContent> SetAsync(HttpContext http, IGrainFactory grains, string cacheKey, CacheSetRequest body, CancellationToken ct)
    {
        TimeSpan? ttl = null;
        if (body.TtlSeconds is { } seconds)
        {
            if (!(seconds > 0) || seconds > TimeSpan.FromDays(3650).TotalSeconds)
            {
                throw new ApiValidationException("ttl_seconds", $"ttl_seconds must be more than 0 and at most 315360000 (was {seconds}).");
            }

            ttl = TimeSpan.FromSeconds(seconds);
        }

        await Grain(http, grains, cacheKey).SetAsync(body.Value, ttl, IdempotencyHeader.Of(http), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<CacheLookup>> GetAsync(HttpContext http, IGrainFactory grains, string cacheKey, CancellationToken ct)
    {
        var lookup = await Grain(http, grains, cacheKey).GetAsync(ct);
        return lookup.Found ? TypedResults.Ok(lookup) : throw new MemoryNotFoundException($"No live cache entry '{cacheKey}'.");
    }

    private static async Task<NoContent> RemoveAsync(HttpContext http, IGrainFactory grains, string cacheKey, CancellationToken ct)
    {
        await Grain(http, grains, cacheKey).RemoveAsync(IdempotencyHeader.Of(http), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<CacheStats>> GetStatsAsync(HttpContext http, IGrainFactory grains, string cacheKey, CancellationToken ct) =>
        TypedResults.Ok(await Grain(http, grains, cacheKey).GetStatsAsync(ct));
}
