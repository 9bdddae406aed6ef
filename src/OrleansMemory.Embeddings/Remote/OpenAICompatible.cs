using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;

namespace OrleansMemory.Embeddings.Remote;

/// <summary>Builds Microsoft.Extensions.AI clients for an OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, LM Studio...)
/// through Microsoft.Extensions.AI.OpenAI.</summary>
public static class OpenAICompatible
{
    /// <summary>The placeholder key sent to servers that need none (Ollama, vLLM without --api-key).</summary>
    public const string NoKey = "no-key";

    /// <summary>An embedding generator for <see cref="EmbeddingOptions.Model"/> at <see cref="EmbeddingOptions.Endpoint"/>.</summary>
    public static IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(EmbeddingOptions options,
        Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var client = Client(options.Endpoint, options.ApiKey, options.ApiKeyVariable, environment);
        return client.GetEmbeddingClient(options.Model).AsIEmbeddingGenerator(options.Dimensions);
    }

    /// <summary>A chat client for <see cref="ConflictClassifierOptions.Model"/> at <see cref="ConflictClassifierOptions.Endpoint"/>.</summary>
    public static IChatClient CreateChatClient(ConflictClassifierOptions options, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Client(options.Endpoint, options.ApiKey, options.ApiKeyVariable, environment).GetChatClient(options.Model).AsIChatClient();
    }

    /// <summary>The key used: the configured one, else the named environment variable, else <see cref="NoKey"/>.</summary>
    public static string ResolveKey(string? apiKey, string? variable, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return !string.IsNullOrWhiteSpace(apiKey) ? apiKey
            : !string.IsNullOrWhiteSpace(variable) && environment(variable) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : NoKey;
    }

    private static OpenAIClient Client(string? endpoint, string? apiKey, string? variable, Func<string, string?>? environment)
    {
        var clientOptions = new OpenAIClientOptions();
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            clientOptions.Endpoint = new Uri(endpoint);
        }

        return new OpenAIClient(new ApiKeyCredential(ResolveKey(apiKey, variable, environment)), clientOptions);
    }
}
