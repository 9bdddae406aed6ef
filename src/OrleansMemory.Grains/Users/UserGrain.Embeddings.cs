using Microsoft.Extensions.AI;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Users;

/// <summary>Which model made a user's embeddings: the first memory records it (the silo's generator as
/// <c>provider/model</c>, or <see cref="CallerEmbeddings"/>), and every later embedding must come from the same source,
/// so that one user's vectors are never silently compared across models.</summary>
public sealed partial class UserGrain
{
    /// <summary>The source recorded for embeddings that callers send themselves.</summary>
    internal const string CallerEmbeddings = "caller";

    private string? _generatorModel;
    private string? _pendingEmbeddingSource;

    /// <summary>The silo's generator as <c>provider/model</c>.</summary>
    private string GeneratorModel => _generatorModel ??= ModelOf(_generator);

    /// <summary>A generator as <c>provider/model</c> (from its <see cref="EmbeddingGeneratorMetadata"/>).</summary>
    internal static string ModelOf(IEmbeddingGenerator<string, Embedding<float>>? generator) =>
        generator?.GetService<EmbeddingGeneratorMetadata>() is { } m ? $"{m.ProviderName ?? "unknown"}/{m.DefaultModelId ?? "unknown"}" : "unknown/unknown";

    /// <summary>Whether an embedding that came with the call was made by the silo's generator before the call reached this
    /// grain (<see cref="AddMemoryCallFilter"/>).</summary>
    private bool EmbeddedBySilo => _generator is not null && RequestContext.Get(AddMemoryCallFilter.SourceKey) is string source && source == GeneratorModel;

    /// <summary>The duplicate and conflict thresholds for the embeddings of the call being served: the silo generator's
    /// (calibrated for its model) or the conservative ones for vectors callers send, whose model nobody calibrated.</summary>
    private (double Duplicate, double Conflict) SimilarityThresholds => _pendingEmbeddingSource == CallerEmbeddings
        ? (Options.CallerEmbeddings.DuplicateThreshold, Options.CallerEmbeddings.ConflictThreshold)
        : (Options.DuplicateThreshold, Options.ConflictThreshold);

    /// <summary>The classifier's verdict on a new text against an existing memory at least as similar as a duplicate: a
    /// contradiction the embedding model scores as near-identical ("I like cats" / "I don't like cats") is a conflict, not
    /// a duplicate.</summary>
    private ValueTask<ConflictClassification> ClassifyAgainstAsync((int Row, float Score) nearest, string text, string type, CancellationToken cancellationToken)
    {
        var existing = _memories[nearest.Row]!;
        return _classifier.ClassifyAsync(new ConflictCandidate(existing.Text, text, nearest.Score, existing.Type, type), cancellationToken);
    }

    /// <summary>Whether a changed text gets a new embedding from the silo's generator: only when the user's embeddings come
    /// from it (a user whose callers send embeddings keeps the old vector unless a new one is sent).</summary>
    private bool EmbedsTextItself => _generator is not null && _profile.State.EmbeddingModel is { } recorded && recorded == GeneratorModel;

    /// <summary>Refuses an embedding from another source than the user's memories; remembers the source so that the first
    /// memory records it. Users stored before sources were recorded accept any source of their dimension.</summary>
    private void CheckEmbeddingSource(bool generated, string paramName)
    {
        var source = generated ? GeneratorModel : CallerEmbeddings;
        var recorded = _profile.State.EmbeddingModel;
        if (recorded is not null && recorded != source)
        {
            throw new MemoryValidationException(recorded == CallerEmbeddings
                ? $"User '{UserId}' holds embeddings its callers sent; this silo would embed the text with {source}, a different model. " +
                  $"Send {paramName} made by the same model as before, or erase the user to start again with text only."
                : generated
                    ? $"User '{UserId}' holds embeddings made by {recorded}; this silo now embeds text with {source}. " +
                      "Configure the same model again (OrleansMemory:Embeddings), or erase the user and add its memories again."
                    : $"User '{UserId}' holds embeddings made by {recorded}; send text without {paramName} and the silo embeds it with the same model.",
                paramName);
        }

        _pendingEmbeddingSource = source;
    }
}
