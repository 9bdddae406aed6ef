namespace OrleansMemory.Storage.Tests;

/// <summary>A catalog that flips the last byte of everything written through it, to prove that verification catches it.</summary>
public sealed class CorruptingCatalog(IGrainStorageCatalog inner) : IGrainStorageCatalog
{
    public string Name => "corrupting";

    public Task<IReadOnlyList<string>> ListGrainTypesAsync(CancellationToken cancellationToken = default) => inner.ListGrainTypesAsync(cancellationToken);

    public Task<GrainIdPage> ListGrainIdsAsync(string grainType, string? continuationToken, int pageSize, CancellationToken cancellationToken = default) =>
        inner.ListGrainIdsAsync(grainType, continuationToken, pageSize, cancellationToken);

    public Task<IReadOnlyList<string>> ListStateNamesAsync(GrainId grainId, CancellationToken cancellationToken = default) => inner.ListStateNamesAsync(grainId, cancellationToken);

    public Task<StorageRecord?> ReadRecordAsync(GrainId grainId, string stateName, CancellationToken cancellationToken = default) =>
        inner.ReadRecordAsync(grainId, stateName, cancellationToken);

    public Task<string> WriteRecordAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken = default)
    {
        var bytes = payload.ToArray();
        bytes[^1] ^= 0xFF;
        return inner.WriteRecordAsync(grainId, stateName, bytes, expectedETag, cancellationToken);
    }

    public Task<int> DeleteGrainAsync(GrainId grainId, CancellationToken cancellationToken = default) => inner.DeleteGrainAsync(grainId, cancellationToken);

    public Task<StorageStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default) => inner.GetStatisticsAsync(cancellationToken);
}
