using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Users;

/// <summary>Embeds the text of a text-only <see cref="IUserGrain.AddMemoryAsync"/> made inside the silo (the HTTP API,
/// other grains) before the call reaches the user grain, so that the model runs outside the user's turn: concurrent adds
/// to one user share a batch instead of waiting for each other's embedding. The grain is told through
/// <see cref="RequestContext"/> that the vector comes from the silo's generator. Register it with
/// <c>siloBuilder.AddOutgoingGrainCallFilter&lt;TextEmbeddingCallFilter&gt;()</c>; without a generator it does nothing.</summary>
public sealed class TextEmbeddingCallFilter(IServiceProvider services) : IOutgoingGrainCallFilter
{
    /// <summary>The <see cref="RequestContext"/> key naming the model (<c>provider/model</c>) that made the call's embedding.</summary>
    internal const string SourceKey = "orleansmemory.embedding-source";

    private static readonly System.Reflection.MethodInfo AddMemory = typeof(IUserGrain).GetMethod(nameof(IUserGrain.AddMemoryAsync))!;

    private readonly IEmbeddingGenerator<string, Embedding<float>>? _generator = services.GetService<IEmbeddingGenerator<string, Embedding<float>>>();

    // A text the grain will refuse is not worth embedding: the call goes on without a vector and the grain says why.
    private readonly int _maxTextLength = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MemoryGrainOptions>>().Value.MaxMemoryTextLength;

    /// <inheritdoc />
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_generator is null || context.InterfaceMethod != AddMemory || context.Request.GetArgument(1) is not null
            || context.Request.GetArgument(0) is not string { Length: > 0 } text || string.IsNullOrWhiteSpace(text) || text.Length > _maxTextLength)
        {
            await context.Invoke().ConfigureAwait(false);
            return;
        }

        var cancellationToken = context.Request.GetArgument(5) is CancellationToken token ? token : default;
        var vector = await _generator.GenerateVectorAsync(text, cancellationToken: cancellationToken).ConfigureAwait(false);
        context.Request.SetArgument(1, vector.ToArray());
        RequestContext.Set(SourceKey, UserGrain.ModelOf(_generator));
        try
        {
            await context.Invoke().ConfigureAwait(false);
        }
        finally
        {
            RequestContext.Remove(SourceKey);
        }
    }
}
