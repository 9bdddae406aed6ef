namespace OrleansMemory.Grains;

/// <summary>A classifier's verdict on a pair of memories, with its reasons.</summary>
/// <param name="IsConflict">Whether the memories contradict each other.</param>
/// <param name="Category">What they disagree about (<c>location</c>, <c>name</c>, <c>age</c>, <c>job</c>,
/// <c>relationship_status</c>, <c>negation</c>, <c>number</c>, <c>date</c>, <c>named_value</c>), or <c>none</c>.</param>
/// <param name="IsSingletonCategory">Whether the category holds one value at a time.</param>
/// <param name="Explanation">Why, in words.</param>
/// <param name="ClarificationHint">A question to ask the user.</param>
public sealed record ConflictClassification(bool IsConflict, string Category, bool IsSingletonCategory, string Explanation, string ClarificationHint)
{
    /// <summary>The verdict for memories that do not conflict.</summary>
    public static ConflictClassification None(string explanation) => new(false, "none", false, explanation, string.Empty);
}
