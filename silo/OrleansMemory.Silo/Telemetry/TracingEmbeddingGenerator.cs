using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace OrleansMemory.Silo.Telemetry;

/// <summary>Puts each embedding request (the wait for its batch and the model's work) in the caller's trace as a span
/// <c>embed</c> of source <see cref="SourceName"/>, with the number of texts and the outcome.</summary>
internal sealed class TracingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    /// <summary>The activity source of embedding spans.</summary>
    public const string SourceName = "OrleansMemory.Embeddings";

    private static readonly ActivitySource Source = new(SourceName);

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var activity = Source.StartActivity("embed");
        if (activity is null)
        {
            return await base.GenerateAsync(values, options, cancellationToken).ConfigureAwait(false);
        }

        var texts = values as IReadOnlyCollection<string> ?? [.. values];
        activity.SetTag("orleansmemory.embedding.texts", texts.Count);
        try
        {
            var result = await base.GenerateAsync(texts, options, cancellationToken).ConfigureAwait(false);
            activity.SetTag("orleansmemory.embedding.dimension", result.Count > 0 ? result[0].Vector.Length : 0);
            return result;
        }
        catch (Exception ex)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }

    /// <summary>Wraps the registered generator, if any (call after it is registered).</summary>
    public static void Decorate(IServiceCollection services)
    {
        var descriptor = services.LastOrDefault(d => d.ServiceType == typeof(IEmbeddingGenerator<string, Embedding<float>>) && !d.IsKeyedService);
        if (descriptor is null)
        {
            return;
        }

        services.Remove(descriptor);
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => new TracingEmbeddingGenerator(
            descriptor.ImplementationFactory is { } factory ? (IEmbeddingGenerator<string, Embedding<float>>)factory(sp)
            : descriptor.ImplementationInstance as IEmbeddingGenerator<string, Embedding<float>>
              ?? (IEmbeddingGenerator<string, Embedding<float>>)ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!)));
    }
}
