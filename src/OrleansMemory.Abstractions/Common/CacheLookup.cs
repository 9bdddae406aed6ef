using System.Text;
using System.Text.Json;

namespace OrleansMemory.Abstractions;

/// <summary>The result of reading a cache entry.</summary>
/// <param name="Found">Whether a live (unexpired) entry exists.</param>
/// <param name="Value">The cached value when found.</param>
/// <param name="ExpiresAt">When the entry expires; null when it never does or was not found.</param>
[GenerateSerializer, Alias("orleansmemory.CacheLookup")]
public sealed record CacheLookup(bool Found, JsonElement? Value, DateTimeOffset? ExpiresAt)
{
    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("Found = ").Append(Found)
            .Append(", ExpiresAt = ").Append(ExpiresAt);
        return true;
    }
}
