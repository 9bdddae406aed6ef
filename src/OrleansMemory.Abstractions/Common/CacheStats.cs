namespace OrleansMemory.Abstractions;

/// <summary>Counters of one cache entry's grain.</summary>
/// <param name="Hits">Reads that found a live entry.</param>
/// <param name="Misses">Reads that found nothing or an expired entry.</param>
/// <param name="HasEntry">Whether a live entry is stored now.</param>
/// <param name="ExpiresAt">When the current entry expires, if it has one with a TTL.</param>
[GenerateSerializer, Alias("orleansmemory.CacheStats")]
public sealed record CacheStats(long Hits, long Misses, bool HasEntry, DateTimeOffset? ExpiresAt);
