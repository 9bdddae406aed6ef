using System.Text;
using System.Text.Json;

namespace OrleansMemory.Abstractions;

/// <summary>Changes to a memory; null leaves a field as it is.</summary>
/// <param name="Text">New text.</param>
/// <param name="Embedding">New embedding (same dimension as the user's others). With a new text and no embedding, the
/// configured embedding generator, if any, embeds the new text.</param>
/// <param name="Importance">New importance, 0..1.</param>
/// <param name="Metadata">New metadata (replaces the old).</param>
/// <param name="Reason">Why, for the history.</param>
[GenerateSerializer, Alias("orleansmemory.MemoryUpdate")]
public sealed record MemoryUpdate(
    string? Text = null,
    float[]? Embedding = null,
    double? Importance = null,
    IReadOnlyDictionary<string, JsonElement>? Metadata = null,
    string? Reason = null)
{
    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("Importance = ").Append(Importance);
        return true;
    }
}
