using System.Text;

namespace OrleansMemory.Abstractions;

/// <summary>The result of adding a memory.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Memory">The new memory, or the existing one for a duplicate.</param>
/// <param name="DuplicateOf">The id of the existing memory when the outcome is <see cref="AddMemoryOutcome.Duplicate"/>.</param>
/// <param name="Similarity">The similarity to the duplicate, when there is one.</param>
/// <param name="Conflicts">Conflicts detected (pending or auto-resolved).</param>
[GenerateSerializer, Alias("orleansmemory.AddMemoryResult")]
public sealed record AddMemoryResult(
    AddMemoryOutcome Outcome,
    SemanticMemory Memory,
    string? DuplicateOf,
    double? Similarity,
    IReadOnlyList<MemoryConflict> Conflicts)
{
    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("Outcome = ").Append(Outcome)
            .Append(", Similarity = ").Append(Similarity);
        return true;
    }
}
