using System.Text.Json;

namespace OrleansMemory.Abstractions;

/// <summary>The result of reading a cache entry.</summary>
/// <param name="Found">Whether a live (unexpired) entry exists.</param>
/// <param name="Value">The cached value when found.</param>
/// <param name="ExpiresAt">When the entry expires; null when it never does or was not found.</param>
[GenerateSerializer, Alias("orleansmemory.CacheLookup")]
public sealed record CacheLookup(bool Found, JsonElement? Value, DateTimeOffset? ExpiresAt);
