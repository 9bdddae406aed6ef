using OrleansMemory.Storage;

namespace OrleansMemory.Cli;

/// <summary>A target that does not exist yet, for dry runs: it holds nothing and accepts no writes.</summary>
internal sealed class EmptyCatalog : IGrainStorageCatalog
{
    public static readonly EmptyCatalog Instance = new();

    public string Name => "empty";

    public Task<IReadOnlyList<string>> ListGrainTypesAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<string>>([]);

    public Task<GrainIdPage> ListGrainIdsAsync(string grainType, string? continuationToken, int pageSize, CancellationToken cancellationToken = default) =>
        Task.FromResult(new GrainIdPage([], null));

    public Task<IReadOnlyList<string>> ListStateNamesAsync(GrainId grainId, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<string>>([]);

    public Task<StorageRecord?> ReadRecordAsync(GrainId grainId, string stateName, CancellationToken cancellationToken = default) => Task.FromResult<StorageRecord?>(null);

    public Task<string> WriteRecordAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("A dry run writes nothing.");

    public Task<int> DeleteGrainAsync(GrainId grainId, CancellationToken cancellationToken = default) => Task.FromResult(0);

    public Task<StorageStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default) => Task.FromResult(StorageStatistics.From([]));
}
