using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OrleansMemory.Embeddings;
using OrleansMemory.Embeddings.Batching;
using OrleansMemory.Embeddings.Local;
using OrleansMemory.Embeddings.Remote;

namespace OrleansMemory.Hosting;

/// <summary>Registers the embedding generator (and the conflict classifier's chat client) chosen by configuration.</summary>
public static class EmbeddingServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> for <paramref name="options"/>: the local
    /// all-MiniLM-L6-v2 model or an OpenAI-compatible endpoint, behind one bounded batching queue per process; nothing for
    /// provider <c>none</c>. With <see cref="EmbeddingOptions.LoadAtStartup"/> the local model loads while the host starts.</summary>
    /// <exception cref="ArgumentException">The options are invalid (the message lists every problem).</exception>
    public static IServiceCollection AddMemoryEmbeddings(this IServiceCollection services, EmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var failures = EmbeddingOptionsValidator.Failures(options).ToList();
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        var provider = options.Provider.Trim().ToLowerInvariant();
        if (provider == EmbeddingProviders.None)
        {
            return services;
        }

        var batch = new EmbeddingBatchOptions
        {
            MaxBatchSize = options.MaxBatchSize,
            MaxBatchWait = options.MaxBatchWait,
            QueueCapacity = options.QueueCapacity,
            MaxConcurrentBatches = options.MaxConcurrentBatches ?? (provider == EmbeddingProviders.Local ? 1 : 4),
        };
        services.TryAddSingleton(sp => new EmbeddingMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.RemoveAll<IEmbeddingGenerator<string, Embedding<float>>>();
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => new BatchingEmbeddingGenerator(
            provider == EmbeddingProviders.Local ? new MiniLmEmbeddingGenerator(options.MaxBatchSize) : OpenAICompatible.CreateEmbeddingGenerator(options),
            batch, sp.GetRequiredService<EmbeddingMetrics>(), sp.GetRequiredService<ILogger<BatchingEmbeddingGenerator>>()));
        if (provider == EmbeddingProviders.Local && options.LoadAtStartup)
        {
            services.AddHostedService<LocalModelLoader>();
        }

        return services;
    }

    /// <summary>Registers the conflict classifier's <see cref="IChatClient"/> for provider <c>openai</c>; nothing for
    /// <c>none</c>. Returns whether a chat client was registered.</summary>
    /// <exception cref="ArgumentException">The options are invalid (the message lists every problem).</exception>
    public static bool AddConflictClassifierChatClient(this IServiceCollection services, ConflictClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var failures = EmbeddingOptionsValidator.Failures(options).ToList();
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        if (options.Provider.Trim().ToLowerInvariant() == EmbeddingProviders.None)
        {
            return false;
        }

        services.RemoveAll<IChatClient>();
        services.AddSingleton(_ => OpenAICompatible.CreateChatClient(options));
        return true;
    }
}
