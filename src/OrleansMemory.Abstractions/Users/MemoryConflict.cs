using System.Text;

namespace OrleansMemory.Abstractions;

/// <summary>Two memories of a user that contradict each other.</summary>
/// <param name="Id">The conflict's id.</param>
/// <param name="UserId">The user (the grain key).</param>
/// <param name="MemoryAId">The older memory.</param>
/// <param name="MemoryBId">The newer memory.</param>
/// <param name="Category">What the memories disagree about, for example <c>location</c>, <c>number</c>, <c>negation</c>.</param>
/// <param name="Similarity">Cosine similarity of the two memories.</param>
/// <param name="AverageImportance">Mean importance of the two memories.</param>
/// <param name="ClarificationHint">A question to ask the user.</param>
/// <param name="IsSingletonCategory">Whether the category holds one value at a time (location, name, age, job, relationship status).</param>
/// <param name="Status">Pending, resolved, escalated or auto-resolved.</param>
/// <param name="CreatedAt">When it was detected.</param>
/// <param name="ResolvedAt">When it was resolved.</param>
/// <param name="Explanation">Why the classifier called it a conflict.</param>
/// <param name="Resolution">How it was resolved, if it was.</param>
/// <param name="EscalatedAt">When it was escalated, if it was.</param>
[GenerateSerializer, Alias("orleansmemory.MemoryConflict")]
public sealed record MemoryConflict(
    string Id,
    string UserId,
    string MemoryAId,
    string MemoryBId,
    string Category,
    double Similarity,
    double AverageImportance,
    string ClarificationHint,
    bool IsSingletonCategory,
    ConflictStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ResolvedAt = null,
    string? Explanation = null,
    ConflictResolutionKind? Resolution = null,
    DateTimeOffset? EscalatedAt = null)
{
    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("Similarity = ").Append(Similarity)
            .Append(", AverageImportance = ").Append(AverageImportance)
            .Append(", IsSingletonCategory = ").Append(IsSingletonCategory)
            .Append(", Status = ").Append(Status)
            .Append(", CreatedAt = ").Append(CreatedAt)
            .Append(", ResolvedAt = ").Append(ResolvedAt)
            .Append(", Resolution = ").Append(Resolution)
            .Append(", EscalatedAt = ").Append(EscalatedAt);
        return true;
    }
}
