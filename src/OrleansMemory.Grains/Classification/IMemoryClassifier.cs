namespace OrleansMemory.Grains;

/// <summary>Decides whether a new memory contradicts an existing, similar one. Register an implementation to replace
/// the default <see cref="RuleBasedMemoryClassifier"/>.</summary>
public interface IMemoryClassifier
{
    /// <summary>Classifies a pair of memories whose similarity is between the conflict and duplicate thresholds.</summary>
    ValueTask<ConflictClassification> ClassifyAsync(ConflictCandidate candidate, CancellationToken cancellationToken = default);
}
