using OrleansMemory.Abstractions;

namespace OrleansMemory.Silo.Api;

/// <summary>What a write answers to a caller without the <c>read</c> scope: ids and what happened, never stored content
/// (a write-only key must not read memories through a near-duplicate, an update or a conflict).</summary>
/// <param name="Id">The memory (or conflict) written; for a duplicate, the existing memory that absorbed it.</param>
/// <param name="Outcome">What happened: <c>added</c>, <c>duplicate</c>, <c>added_with_conflicts</c>, <c>superseded</c>,
/// <c>updated</c>, <c>archived</c>, <c>resolved</c>, <c>escalated</c>.</param>
/// <param name="ConflictIds">Conflicts the write recorded.</param>
public sealed record WriteReceipt(string Id, string Outcome, IReadOnlyList<string> ConflictIds)
{
    /// <summary>The receipt of an added memory.</summary>
    public static WriteReceipt Of(AddMemoryResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var outcome = result.Outcome switch
        {
            AddMemoryOutcome.Added => "added",
            AddMemoryOutcome.Duplicate => "duplicate",
            AddMemoryOutcome.AddedWithConflicts => "added_with_conflicts",
            _ => "superseded",
        };
        return new WriteReceipt(result.Memory.Id, outcome, [.. result.Conflicts.Select(c => c.Id)]);
    }
}

/// <summary>Responses in the caller's terms: ids as the caller sent them, content only with the read scope.</summary>
internal static class ApiViews
{
    /// <summary>The conflict with the user id the caller used (the grain key carries the tenant).</summary>
    public static MemoryConflict AsSent(this MemoryConflict conflict, string userId) => conflict with { UserId = userId };

    /// <summary>The conflicts with the user id the caller used.</summary>
    public static IReadOnlyList<MemoryConflict> AsSent(this IReadOnlyList<MemoryConflict> conflicts, string userId) =>
        [.. conflicts.Select(c => c.AsSent(userId))];

    /// <summary>The add result with the user id the caller used.</summary>
    public static AddMemoryResult AsSent(this AddMemoryResult result, string userId) =>
        result with { Conflicts = result.Conflicts.AsSent(userId) };

    /// <summary>The memory for a reader, its id and the outcome otherwise.</summary>
    public static IResult Reveal(HttpContext http, SemanticMemory memory, string outcome) =>
        http.CanRead() ? TypedResults.Ok(memory) : TypedResults.Ok(new WriteReceipt(memory.Id, outcome, []));

    /// <summary>The conflict for a reader, its id and the outcome otherwise.</summary>
    public static IResult Reveal(HttpContext http, MemoryConflict conflict, string userId, string outcome) =>
        http.CanRead() ? TypedResults.Ok(conflict.AsSent(userId)) : TypedResults.Ok(new WriteReceipt(conflict.Id, outcome, []));
}
