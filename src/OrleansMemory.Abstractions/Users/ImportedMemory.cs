using System.Text;
using System.Text.Json;

namespace OrleansMemory.Abstractions;

/// <summary>A memory brought in by a bulk import (migration, seeding): stored as given, without duplicate or conflict detection.</summary>
/// <param name="Text">What is remembered.</param>
/// <param name="Embedding">Its embedding.</param>
/// <param name="Type">Its type.</param>
/// <param name="Importance">0..1.</param>
/// <param name="Metadata">Free-form metadata.</param>
/// <param name="CreatedAt">When it was created; default: now.</param>
[GenerateSerializer, Alias("orleansmemory.ImportedMemory")]
public sealed record ImportedMemory(
    string Text,
    float[] Embedding,
    string Type = MemoryTypes.Fact,
    double Importance = 0.5,
    IReadOnlyDictionary<string, JsonElement>? Metadata = null,
    DateTimeOffset CreatedAt = default)
{
    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("Importance = ").Append(Importance)
            .Append(", CreatedAt = ").Append(CreatedAt);
        return true;
    }
}
