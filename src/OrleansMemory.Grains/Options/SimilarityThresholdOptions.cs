namespace OrleansMemory.Grains;

/// <summary>Duplicate and conflict thresholds for one source of embeddings.</summary>
public sealed class SimilarityThresholdOptions
{
    /// <summary>Similarity at or above which a new memory may be a duplicate (its text must also agree).</summary>
    public double DuplicateThreshold { get; set; } = 0.95;

    /// <summary>Similarity at or above which the classifier checks for a conflict.</summary>
    public double ConflictThreshold { get; set; } = 0.8;
}
