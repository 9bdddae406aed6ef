using Microsoft.Extensions.AI;

namespace OrleansMemory.Embeddings.Local;

/// <summary>The local all-MiniLM-L6-v2 encoder (<see cref="MiniLmModel"/>) behind Microsoft.Extensions.AI's
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>: 384-dimensional unit vectors, no network, no key. Texts are
/// encoded in runs of similar length (the model pads every text of a run to the longest one) on the model's own thread,
/// so that a run never holds a thread-pool thread the silo's grain turns and sockets need (<see cref="ModelThread"/>);
/// requests marked as background work (<see cref="BackgroundEmbeddings"/>) run at the lowest scheduling priority.
/// <c>GetService&lt;EmbeddingPipeline&gt;()</c> gives <see cref="MiniLmModel.PipelineId"/>.
/// Wrap it in <see cref="Batching.BatchingEmbeddingGenerator"/> so that concurrent requests share a run.</summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private static readonly EmbeddingGeneratorMetadata Metadata = new(MiniLmModel.ProviderName, null, MiniLmModel.ModelId, MiniLmModel.Dimensions);
    private static readonly EmbeddingPipeline Pipeline = new(MiniLmModel.PipelineId);

    /// <summary>Creates the generator; <paramref name="maxRunSize"/> is the most texts the model runs at once.</summary>
    public MiniLmEmbeddingGenerator(int maxRunSize = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRunSize, 1);
        MaxRunSize = maxRunSize;
    }

    /// <summary>The most texts the model runs at once.</summary>
    public int MaxRunSize { get; }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values as string[] ?? values.ToArray();
        // Background work never loads the model: ONNX Runtime's threads would inherit the background thread's idle policy.
        var thread = BackgroundEmbeddings.IsRequested(options) && MiniLmModel.IsLoaded ? ModelThread.Background : ModelThread.Interactive;
        return thread.RunAsync(() => Generate(texts, options, cancellationToken), cancellationToken);
    }

    /// <summary>Encodes synchronously on the calling thread.</summary>
    public float[][] Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var encoder = MiniLmModel.Encoder;
        var order = new int[texts.Count];
        var sequences = new int[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            sequences[i] = encoder.Tokenizer.Encode(texts[i] ?? throw new ArgumentException($"Text {i} is null.", nameof(texts)));
            order[i] = i;
        }

        Array.Sort(order, (a, b) => sequences[a].Length.CompareTo(sequences[b].Length));
        var result = new float[texts.Count][];
        for (var start = 0; start < order.Length; start += MaxRunSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var run = order.AsSpan(start, Math.Min(MaxRunSize, order.Length - start)).ToArray();
            var vectors = encoder.EncodeIds([.. run.Select(i => sequences[i])], cancellationToken);
            for (var j = 0; j < run.Length; j++)
            {
                result[run[j]] = vectors[j];
            }
        }

        return result;
    }

    private GeneratedEmbeddings<Embedding<float>> Generate(string[] texts, EmbeddingGenerationOptions? options, CancellationToken cancellationToken)
    {
        if (options?.Dimensions is { } dimensions && dimensions != MiniLmModel.Dimensions)
        {
            throw new NotSupportedException($"{MiniLmModel.ModelId} produces {MiniLmModel.Dimensions} dimensions, not {dimensions}.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var vectors = texts.Length == 0 ? [] : Encode(texts, cancellationToken);
        var embeddings = new GeneratedEmbeddings<Embedding<float>>(vectors.Length);
        var now = DateTimeOffset.UtcNow;
        foreach (var vector in vectors)
        {
            embeddings.Add(new Embedding<float>(vector) { ModelId = MiniLmModel.ModelId, CreatedAt = now });
        }

        return embeddings;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? (serviceType == typeof(string) && Equals(serviceKey, EmbeddingPipeline.ServiceKey) ? Pipeline.Id : null)
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
            : serviceType == typeof(EmbeddingPipeline) ? Pipeline
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Nothing to release: the model belongs to the process (<see cref="MiniLmModel"/>).</summary>
    public void Dispose()
    {
    }
}
