using OrleansMemory.Abstractions;

namespace OrleansMemory.Silo.Hosting;

/// <summary>The <c>Default</c> provider when some grain types are configured to use another provider:
/// forwards each operation, erasures of earlier versions included, to the provider of the grain's type.</summary>
internal sealed class RoutingGrainStorage(IGrainStorage fallback, IReadOnlyDictionary<string, IGrainStorage> byGrainType) : IGrainStorage, IVersionedGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        For(grainId).ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        For(grainId).WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        For(grainId).ClearStateAsync(stateName, grainId, grainState);

    public Task EraseEarlierVersionsAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default) =>
        For(grainId).EraseEarlierVersionsAsync(stateName, grainId, cancellationToken);

    private IGrainStorage For(GrainId grainId) => byGrainType.TryGetValue(grainId.Type.ToString()!, out var storage) ? storage : fallback;
}
