using System.Text.Json;

namespace OrleansMemory.Abstractions;

/// <summary>One LLM generation cache entry (key = cache key) with a time to live. An expired entry reads as absent
/// and its record is deleted from storage.</summary>
[Alias("orleansmemory.ICacheGrain")]
public interface ICacheGrain : IGrainWithStringKey
{
    /// <summary>Stores a value, replacing any previous one.</summary>
    /// <param name="value">The value (any JSON).</param>
    /// <param name="ttl">How long the entry lives; null for no expiry. Must be positive.</param>
    /// <param name="idempotencyKey">Optional (see <see cref="IdempotencyKeys"/>): a retry with the same key within the
    /// idempotency window changes nothing; the same key with another value or TTL is an <see cref="IdempotencyKeyReusedException"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task SetAsync(JsonElement value, TimeSpan? ttl = null, string? idempotencyKey = null, CancellationToken cancellationToken = default);

    /// <summary>Reads the entry; counts a hit or a miss. An expired entry is deleted and reads as not found.</summary>
    Task<CacheLookup> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the entry. With <paramref name="idempotencyKey"/> (see <see cref="IdempotencyKeys"/>), a retry with
    /// the same key within the idempotency window changes nothing (a value stored after the first delete stays).</summary>
    Task RemoveAsync(string? idempotencyKey = null, CancellationToken cancellationToken = default);

    /// <summary>Hit and miss counters of this entry.</summary>
    Task<CacheStats> GetStatsAsync(CancellationToken cancellationToken = default);
}
