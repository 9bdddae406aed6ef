namespace OrleansMemory.Embeddings;

/// <summary>Whether an LLM (through an OpenAI-compatible chat endpoint) classifies memory conflicts (configuration section
/// <c>OrleansMemory:ConflictClassifier</c>); off by default: the rule-based classifier decides.</summary>
public sealed class ConflictClassifierOptions
{
    /// <summary><c>none</c> (rules only, the default) or <c>openai</c> (any OpenAI-compatible chat completions endpoint).</summary>
    public string Provider { get; set; } = EmbeddingProviders.None;

    /// <summary><c>backstop</c>: the LLM is asked only about pairs the rules find no conflict in; <c>replace</c>: the LLM
    /// decides every pair. Either way the rules answer when the LLM fails.</summary>
    public string Mode { get; set; } = "backstop";

    /// <summary>The chat model, for example <c>gpt-4o-mini</c> or, on Ollama, <c>llama3.2</c>.</summary>
    public string? Model { get; set; }

    /// <summary>The base URL of the API (<c>https://api.openai.com/v1</c> when empty).</summary>
    public string? Endpoint { get; set; }

    /// <summary>The API key; when empty, the environment variable named by <see cref="ApiKeyVariable"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The environment variable the API key is read from when <see cref="ApiKey"/> is empty.</summary>
    public string ApiKeyVariable { get; set; } = "OPENAI_API_KEY";
}
