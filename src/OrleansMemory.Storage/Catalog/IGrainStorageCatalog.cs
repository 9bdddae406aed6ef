using System.Runtime.CompilerServices;

namespace OrleansMemory.Storage;

/// <summary>Operations on a storage provider's records that Orleans' <see cref="IGrainStorage"/> lacks: listing,
/// raw reads and writes (for migration, backup and inspection), deleting a grain's records and statistics.
/// Keys are compared in the provider's own order; continuation tokens are opaque.</summary>
public interface IGrainStorageCatalog
{
    /// <summary>The provider's registered name.</summary>
    string Name { get; }

    /// <summary>Lists the grain types that have at least one record, in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListGrainTypesAsync(CancellationToken cancellationToken = default);

    /// <summary>Lists one page of the ids of grains of <paramref name="grainType"/> that have at least one record.</summary>
    /// <param name="grainType">The grain type.</param>
    /// <param name="continuationToken">Null for the first page, else <see cref="GrainIdPage.ContinuationToken"/> of the previous page.</param>
    /// <param name="pageSize">The most ids to return (1 to 10,000).</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    Task<GrainIdPage> ListGrainIdsAsync(string grainType, string? continuationToken, int pageSize, CancellationToken cancellationToken = default);

    /// <summary>Streams the ids of every grain of <paramref name="grainType"/>, page by page, in constant memory; the order
    /// is the provider's (the file provider streams its directory in one pass, unordered).</summary>
    async IAsyncEnumerable<GrainId> StreamGrainIdsAsync(string grainType, int pageSize = 500, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? token = null;
        do
        {
            var page = await ListGrainIdsAsync(grainType, token, pageSize, cancellationToken).ConfigureAwait(false);
            foreach (var id in page.Ids)
            {
                yield return id;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    /// <summary>Lists the names of the states a grain has records for, in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListStateNamesAsync(GrainId grainId, CancellationToken cancellationToken = default);

    /// <summary>Reads a record's stored bytes, ETag and modification time; null when absent.</summary>
    Task<StorageRecord?> ReadRecordAsync(GrainId grainId, string stateName, CancellationToken cancellationToken = default);

    /// <summary>Writes <paramref name="payload"/> exactly as given (no serialization) if the stored record still has
    /// <paramref name="expectedETag"/> (null: if no record exists), and returns the new ETag. Used by migration.</summary>
    /// <exception cref="InconsistentStateException">The ETag does not match; nothing was written.</exception>
    Task<string> WriteRecordAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken = default);

    /// <summary>Deletes every record of a grain, whatever its ETags, and returns how many were deleted.</summary>
    Task<int> DeleteGrainAsync(GrainId grainId, CancellationToken cancellationToken = default);

    /// <summary>Counts records and payload bytes by grain type.</summary>
    Task<StorageStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default);
}
