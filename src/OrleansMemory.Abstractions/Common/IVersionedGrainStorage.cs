namespace OrleansMemory.Abstractions;

/// <summary>A grain storage provider that keeps earlier versions of a record beside it (the file provider's backups).
/// The memory grains call it after a write that removes content (a deleted memory's tombstone, a scrubbed conflict or
/// history event), so that no earlier version keeps what was erased.</summary>
public interface IVersionedGrainStorage
{
    /// <summary>Erases every earlier version of the record; the current one stays.</summary>
    Task EraseEarlierVersionsAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default);
}
