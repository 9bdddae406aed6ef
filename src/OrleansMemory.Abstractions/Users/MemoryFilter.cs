using System.Text;
using System.Text.Json;

namespace OrleansMemory.Abstractions;

/// <summary>Restricts a memory search; every given condition must hold.</summary>
/// <param name="Types">Only memories of these types.</param>
/// <param name="MinImportance">Only memories at least this important (0..1).</param>
/// <param name="CreatedAfter">Only memories created at or after this time.</param>
/// <param name="CreatedBefore">Only memories created before this time.</param>
/// <param name="Metadata">Only memories whose metadata has each of these properties with an equal JSON value.</param>
/// <param name="IncludeArchived">Include archived memories.</param>
[GenerateSerializer, Alias("orleansmemory.MemoryFilter")]
public sealed record MemoryFilter(
    IReadOnlyList<string>? Types = null,
    double? MinImportance = null,
    DateTimeOffset? CreatedAfter = null,
    DateTimeOffset? CreatedBefore = null,
    IReadOnlyDictionary<string, JsonElement>? Metadata = null,
    bool IncludeArchived = false)
{
    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("MinImportance = ").Append(MinImportance)
            .Append(", CreatedAfter = ").Append(CreatedAfter)
            .Append(", CreatedBefore = ").Append(CreatedBefore)
            .Append(", IncludeArchived = ").Append(IncludeArchived);
        return true;
    }
}
