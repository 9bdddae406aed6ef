namespace OrleansMemory.Storage;

/// <summary>The <see cref="IGrainStorageCatalog"/> side of the file provider: listings walk the directory tree.</summary>
public sealed partial class FileGrainStorage
{
    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListGrainTypesAsync(CancellationToken cancellationToken = default)
    {
        var types = new List<string>();
        foreach (var directory in RootDirectories())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_layout.GrainTypeOf(directory) is { } type && GrainDirectories(directory).Any(g => FileStorageLayout.StateFiles(g.Directory).Any()))
            {
                types.Add(type);
            }
        }

        return Task.FromResult<IReadOnlyList<string>>([.. types.Order(StringComparer.Ordinal)]);
    }

    /// <inheritdoc />
    public Task<GrainIdPage> ListGrainIdsAsync(string grainType, string? continuationToken, int pageSize, CancellationToken cancellationToken = default)
    {
        CatalogArguments.ValidatePage(grainType, pageSize);
        // The smallest pageSize + 1 keys after the token, kept in a bounded heap: memory stays O(pageSize) however many
        // grains the directory holds (the scan itself is linear, as a directory listing is).
        var smallest = new PriorityQueue<string, string>(pageSize + 2, Comparer<string>.Create((a, b) => string.CompareOrdinal(b, a)));
        foreach (var (key, directory) in GrainDirectories(_layout.TypeDirectory(grainType)))
        {
            if ((continuationToken is not null && string.CompareOrdinal(key, continuationToken) <= 0)
                || (smallest.Count > pageSize && string.CompareOrdinal(key, smallest.Peek()) >= 0)
                || !FileStorageLayout.StateFiles(directory).Any())
            {
                continue;
            }

            smallest.Enqueue(key, key);
            if (smallest.Count > pageSize + 1)
            {
                smallest.Dequeue();
            }
        }

        var keys = smallest.UnorderedItems.Select(i => i.Element).Order(StringComparer.Ordinal).ToList();
        cancellationToken.ThrowIfCancellationRequested();
        var more = keys.Count > pageSize;
        var ids = keys.Take(pageSize).ToList();
        return Task.FromResult(new GrainIdPage([.. ids.Select(k => GrainId.Create(grainType, k))], more ? ids[^1] : null));
    }

    /// <summary>Streams the ids of every grain of <paramref name="grainType"/> in one pass over its directory, in
    /// directory order: paging through <see cref="ListGrainIdsAsync"/> would scan the directory once per page.</summary>
    /// <param name="grainType">The grain type.</param>
    /// <param name="pageSize">Unused (kept for the interface); the directory is read as a stream.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public async IAsyncEnumerable<GrainId> StreamGrainIdsAsync(string grainType, int pageSize = 500,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        CatalogArguments.ValidatePage(grainType, pageSize);
        foreach (var (key, directory) in GrainDirectories(_layout.TypeDirectory(grainType)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (FileStorageLayout.StateFiles(directory).Any())
            {
                yield return GrainId.Create(grainType, key);
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListStateNamesAsync(GrainId grainId, CancellationToken cancellationToken = default)
    {
        CatalogArguments.ValidateRecord(grainId, string.Empty);
        return Task.FromResult<IReadOnlyList<string>>([.. FileStorageLayout.StateFiles(GrainDirectory(grainId))
            .Select(_layout.StateNameOf).OfType<string>().Order(StringComparer.Ordinal)]);
    }

    /// <inheritdoc />
    public async Task<StorageRecord?> ReadRecordAsync(GrainId grainId, string stateName, CancellationToken cancellationToken = default)
    {
        CatalogArguments.ValidateRecord(grainId, stateName);
        var path = GetPath(stateName, grainId);
        try
        {
            var bytes = await ReadIfExistsAsync(path, cancellationToken).ConfigureAwait(false);
            return bytes is null ? null : new StorageRecord(grainId, stateName, bytes, ComputeETag(bytes), File.GetLastWriteTimeUtc(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw GrainStorageException.For(Name, "read", grainId, stateName, ex);
        }
    }

    /// <inheritdoc />
    public Task<string> WriteRecordAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken = default)
    {
        CatalogArguments.ValidateRecord(grainId, stateName);
        cancellationToken.ThrowIfCancellationRequested();
        return WriteBytesAsync(stateName, grainId, payload, expectedETag, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<int> DeleteGrainAsync(GrainId grainId, CancellationToken cancellationToken = default)
    {
        CatalogArguments.ValidateRecord(grainId, string.Empty);
        var directory = GrainDirectory(grainId);
        var deleted = 0;
        foreach (var file in FileStorageLayout.StateFiles(directory).ToList())
        {
            var gate = LockFor(file);
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                File.Delete(file);
                deleted++;
            }
            finally
            {
                gate.Release();
            }
        }

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        try
        {
            Directory.Delete(Path.GetDirectoryName(directory)!, recursive: false); // only succeeds when the type has nothing left
        }
        catch (IOException)
        {
        }

        await FlushRemovalsAsync(directory).ConfigureAwait(false);
        return deleted;
    }

    /// <inheritdoc />
    public Task<StorageStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var types = new List<GrainTypeStatistics>();
        foreach (var typeDirectory in RootDirectories())
        {
            if (_layout.GrainTypeOf(typeDirectory) is not { } type)
            {
                continue;
            }

            long grains = 0, records = 0, bytes = 0;
            foreach (var grain in GrainDirectories(typeDirectory))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var files = FileStorageLayout.StateFiles(grain.Directory).Select(f => new FileInfo(f)).ToList();
                grains += files.Count > 0 ? 1 : 0;
                records += files.Count;
                bytes += files.Sum(f => f.Length);
            }

            if (records > 0)
            {
                types.Add(new GrainTypeStatistics(type, grains, records, bytes));
            }
        }

        return Task.FromResult(StorageStatistics.From(types));
    }

    private IEnumerable<string> RootDirectories() => Directory.Exists(_root) ? Directory.EnumerateDirectories(_root) : [];

    private string GrainDirectory(GrainId grainId)
    {
        var (type, key) = CatalogArguments.Parts(grainId);
        return _layout.GrainDirectory(type, key);
    }

    private IEnumerable<(string Key, string Directory)> GrainDirectories(string typeDirectory)
    {
        if (!Directory.Exists(typeDirectory))
        {
            yield break;
        }

        foreach (var directory in Directory.EnumerateDirectories(typeDirectory))
        {
            if (_layout.KeyOf(directory) is { } key)
            {
                yield return (key, directory);
            }
        }
    }
}
