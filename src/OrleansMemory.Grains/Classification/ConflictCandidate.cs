namespace OrleansMemory.Grains;

/// <summary>A pair of memories to classify.</summary>
/// <param name="ExistingText">The older memory's text.</param>
/// <param name="NewText">The newer memory's text.</param>
/// <param name="Similarity">Their cosine similarity.</param>
/// <param name="ExistingType">The older memory's type.</param>
/// <param name="NewType">The newer memory's type.</param>
public sealed record ConflictCandidate(string ExistingText, string NewText, double Similarity, string ExistingType, string NewType);
