namespace OrleansMemory.Embeddings;

/// <summary>The values of <see cref="EmbeddingOptions.Provider"/> and <see cref="ConflictClassifierOptions.Provider"/>.</summary>
public static class EmbeddingProviders
{
    /// <summary>The in-process all-MiniLM-L6-v2 model.</summary>
    public const string Local = "local";

    /// <summary>Any OpenAI-compatible endpoint.</summary>
    public const string OpenAI = "openai";

    /// <summary>No generator (embeddings) or the rule-based classifier only (conflicts).</summary>
    public const string None = "none";

    /// <summary>The embedding providers.</summary>
    public static readonly IReadOnlyList<string> ForEmbeddings = [Local, OpenAI, None];

    /// <summary>The conflict classifier providers.</summary>
    public static readonly IReadOnlyList<string> ForClassifier = [None, OpenAI];
}
