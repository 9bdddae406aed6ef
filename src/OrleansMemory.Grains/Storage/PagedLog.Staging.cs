namespace OrleansMemory.Grains.Storage;

/// <summary>The commit of what an open <see cref="WriteBatch"/> staged in the log.</summary>
internal sealed partial class PagedLog<T>
{
    /// <summary>Writes what an open batch staged: the changed pages the append does not write anyway, and the appended
    /// items by one append, at the same time.</summary>
    async Task IStagedWrites.CommitAsync()
    {
        var (staged, dirty) = (_staged, _dirtyPages);
        (_staged, _dirtyPages) = ([], []);
        var size = PageSize;
        var appendFrom = staged.Count == 0 ? long.MaxValue : _count / size; // the append rewrites its pages with their changes
        var writes = dirty.Where(p => p.Key < appendFrom).Select(p => _storage.WriteStateAsync(PageName(p.Key), _grainId, p.Value)).ToList();
        if (staged.Count > 0)
        {
            writes.Add(WriteAppendAsync(staged));
        }

        await Task.WhenAll(writes);
    }

    /// <inheritdoc />
    void IStagedWrites.Discard() => (_staged, _dirtyPages) = ([], []);
}
