using Microsoft.Extensions.AI;

namespace OrleansMemory.Grains.Users;

/// <summary>The options formation embeds its memories with: they mark the request as background work, which the silo's
/// local model runs at the lowest scheduling priority (<c>OrleansMemory.Embeddings.BackgroundEmbeddings</c>, whose
/// property name this repeats: this package does not reference that one). Other generators ignore the mark.</summary>
internal static class FormationEmbeddings
{
    internal const string BackgroundProperty = "orleansmemory.background";

    /// <summary>New options for one request (a generator may keep or change what it is given).</summary>
    public static EmbeddingGenerationOptions Options() => new() { AdditionalProperties = new() { [BackgroundProperty] = true } };
}
