using Microsoft.Extensions.AI;

namespace OrleansMemory.Embeddings;

/// <summary>Which text pipeline (model, tokenizer rules, truncation, pooling) made a set of embeddings. Vectors from
/// different pipelines are not comparable even when the model id is the same, so a store records the id beside its
/// vectors and re-embeds when the current generator's id differs. Ask a generator with
/// <c>generator.GetService&lt;EmbeddingPipeline&gt;()</c> (it passes through the batching generator) or
/// <see cref="Of"/>, which also names pipelines of generators that do not report one.</summary>
/// <param name="Id">The pipeline id, for example <c>minilm-l6-v2/2</c>; compared ordinally.</param>
public sealed record EmbeddingPipeline(string Id)
{
    /// <summary>The service key under which a generator also reports its pipeline id as a plain string
    /// (<c>generator.GetService(typeof(string), ServiceKey)</c>), for callers that do not reference this assembly: the user
    /// grain records it beside a user's embeddings.</summary>
    public const string ServiceKey = "orleansmemory.embedding-pipeline";

    /// <summary>The pipeline id of <paramref name="generator"/>: the one it reports, else
    /// <c>{provider}:{model}/{dimensions}</c> from its metadata (a remote endpoint's pipeline is its model's).</summary>
    public static string Of(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (generator.GetService<EmbeddingPipeline>() is { } pipeline)
        {
            return pipeline.Id;
        }

        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        return $"{metadata?.ProviderName ?? "unknown"}:{metadata?.DefaultModelId ?? "unknown"}/{metadata?.DefaultModelDimensions?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}";
    }
}
