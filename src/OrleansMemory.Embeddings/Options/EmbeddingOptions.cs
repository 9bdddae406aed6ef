namespace OrleansMemory.Embeddings;

/// <summary>Which embedding generator the silo uses (configuration section <c>OrleansMemory:Embeddings</c>).</summary>
public sealed class EmbeddingOptions
{
    /// <summary><c>local</c> (all-MiniLM-L6-v2 in-process, the default), <c>openai</c> (any OpenAI-compatible
    /// <c>/embeddings</c> endpoint: OpenAI, Azure OpenAI's v1 API, Ollama, vLLM, LM Studio...) or <c>none</c> (callers
    /// send embeddings; text-only requests are refused with 400).</summary>
    public string Provider { get; set; } = EmbeddingProviders.Local;

    /// <summary>The model: <c>local</c> accepts only <c>all-MiniLM-L6-v2</c> (the default); <c>openai</c> requires one, for
    /// example <c>text-embedding-3-small</c> or, on Ollama, <c>nomic-embed-text</c>.</summary>
    public string? Model { get; set; }

    /// <summary><c>openai</c>: the base URL of the API (<c>https://api.openai.com/v1</c> when empty; Ollama:
    /// <c>http://localhost:11434/v1</c>; vLLM: <c>http://host:8000/v1</c>).</summary>
    public string? Endpoint { get; set; }

    /// <summary><c>openai</c>: the API key; when empty, the environment variable named by <see cref="ApiKeyVariable"/>;
    /// local servers that need none get a placeholder.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The environment variable the API key is read from when <see cref="ApiKey"/> is empty.</summary>
    public string ApiKeyVariable { get; set; } = "OPENAI_API_KEY";

    /// <summary><c>openai</c>: ask the model for this many dimensions (models that can shorten, such as text-embedding-3-*).</summary>
    public int? Dimensions { get; set; }

    /// <summary>Load the local model while the silo starts instead of at the first text request.</summary>
    public bool LoadAtStartup { get; set; }

    /// <summary>The most texts in one call to the model or endpoint.</summary>
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>How long the first request of a batch waits for others to join it while another batch is running (with
    /// <see cref="MaxConcurrentBatches"/> above 1); a request that finds nothing running starts at once.</summary>
    public TimeSpan MaxBatchWait { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>The most embedding requests waiting per silo; further callers wait for room.</summary>
    public int QueueCapacity { get; set; } = 4096;

    /// <summary>Batches run at the same time; default 1 for <c>local</c> (a batch uses every core), 4 for <c>openai</c>.</summary>
    public int? MaxConcurrentBatches { get; set; }
}
