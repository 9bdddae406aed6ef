using OrleansMemory.Embeddings.Local;

namespace OrleansMemory.Embeddings;

/// <summary>Validates <see cref="EmbeddingOptions"/> and <see cref="ConflictClassifierOptions"/>, one message per problem,
/// each naming its configuration key.</summary>
public static class EmbeddingOptionsValidator
{
    /// <summary>Every problem of <paramref name="o"/>; <paramref name="prefix"/> is its section, such as <c>OrleansMemory:Embeddings</c>.</summary>
    public static IEnumerable<string> Failures(EmbeddingOptions o, string prefix = "OrleansMemory:Embeddings")
    {
        ArgumentNullException.ThrowIfNull(o);
        var provider = o.Provider?.Trim().ToLowerInvariant();
        if (!EmbeddingProviders.ForEmbeddings.Contains(provider))
        {
            yield return $"{prefix}:Provider must be one of {string.Join(", ", EmbeddingProviders.ForEmbeddings)} (was '{o.Provider}').";
        }

        if (provider == EmbeddingProviders.Local && o.Model is { Length: > 0 } model && !string.Equals(model, MiniLmModel.ModelId, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{prefix}:Model '{model}' is not available locally: the local provider runs {MiniLmModel.ModelId} only. " +
                $"For another model set {prefix}:Provider to openai with its Endpoint (Ollama, vLLM, OpenAI).";
        }

        if (provider == EmbeddingProviders.Local && o.Dimensions is { } d && d != MiniLmModel.Dimensions)
        {
            yield return $"{prefix}:Dimensions must be empty or {MiniLmModel.Dimensions} for the local provider (was {d}).";
        }

        if (provider == EmbeddingProviders.OpenAI)
        {
            foreach (var failure in RemoteFailures(o.Model, o.Endpoint, prefix, "text-embedding-3-small"))
            {
                yield return failure;
            }

            if (o.Dimensions is < 1 or > 8192)
            {
                yield return $"{prefix}:Dimensions must be 1-8192 when set (was {o.Dimensions}).";
            }
        }

        if (o.MaxBatchSize is < 1 or > 4096)
        {
            yield return $"{prefix}:MaxBatchSize must be 1-4096 (was {o.MaxBatchSize}).";
        }

        if (o.MaxBatchWait < TimeSpan.Zero || o.MaxBatchWait > TimeSpan.FromSeconds(10))
        {
            yield return $"{prefix}:MaxBatchWait must be between 00:00:00 and 00:00:10 (was {o.MaxBatchWait}).";
        }

        if (o.QueueCapacity is < 1 or > 1_000_000)
        {
            yield return $"{prefix}:QueueCapacity must be 1-1000000 (was {o.QueueCapacity}).";
        }

        if (o.MaxConcurrentBatches is < 1 or > 64)
        {
            yield return $"{prefix}:MaxConcurrentBatches must be 1-64 when set (was {o.MaxConcurrentBatches}).";
        }
    }

    /// <summary>Every problem of <paramref name="o"/>; <paramref name="prefix"/> is its section.</summary>
    public static IEnumerable<string> Failures(ConflictClassifierOptions o, string prefix = "OrleansMemory:ConflictClassifier")
    {
        ArgumentNullException.ThrowIfNull(o);
        var provider = o.Provider?.Trim().ToLowerInvariant();
        if (!EmbeddingProviders.ForClassifier.Contains(provider))
        {
            yield return $"{prefix}:Provider must be one of {string.Join(", ", EmbeddingProviders.ForClassifier)} (was '{o.Provider}').";
        }

        if (o.Mode?.Trim().ToLowerInvariant() is not ("backstop" or "replace"))
        {
            yield return $"{prefix}:Mode must be backstop or replace (was '{o.Mode}').";
        }

        if (provider == EmbeddingProviders.OpenAI)
        {
            foreach (var failure in RemoteFailures(o.Model, o.Endpoint, prefix, "gpt-4o-mini"))
            {
                yield return failure;
            }
        }
    }

    private static IEnumerable<string> RemoteFailures(string? model, string? endpoint, string prefix, string example)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            yield return $"{prefix}:Model must name the model for provider openai (for example {example}).";
        }

        if (!string.IsNullOrEmpty(endpoint) && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            yield return $"{prefix}:Endpoint must be an absolute http(s) URL such as http://localhost:11434/v1 (was '{endpoint}').";
        }
    }
}
