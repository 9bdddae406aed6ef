using Microsoft.Extensions.AI;

namespace OrleansMemory.Embeddings;

/// <summary>Marks an embedding request as background work that nobody waits for (memory formation): a request whose
/// <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> hold <see cref="PropertyName"/> = <c>true</c>. The local
/// model runs it on a thread at the lowest scheduling priority, which interactive work preempts at once (ONNX Runtime's
/// worker thread, shared with interactive runs, keeps the normal priority); the batching queue passes it on alone
/// (<see cref="Batching.BatchingEmbeddingGenerator"/>); a remote generator ignores it.</summary>
public static class BackgroundEmbeddings
{
    /// <summary>The property that marks a request as background work. The grains, which do not reference this package,
    /// spell it out (<c>OrleansMemory.Grains.Users.FormationEmbeddings</c>); a silo test keeps the two equal.</summary>
    public const string PropertyName = "orleansmemory.background";

    /// <summary>Whether <paramref name="options"/> mark the request as background work.</summary>
    public static bool IsRequested(EmbeddingGenerationOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(PropertyName, out var value) is true && value is true;
}
