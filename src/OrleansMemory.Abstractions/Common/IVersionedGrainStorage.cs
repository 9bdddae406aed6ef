using Orleans.Storage;

namespace OrleansMemory.Abstractions;

/// <summary>A grain storage provider that keeps earlier versions of a record beside it (the file provider's backups).
/// The memory grains call it after a write that removes content (a deleted memory's tombstone, a scrubbed conflict or
/// history event), so that no earlier version keeps what was erased. Every decorator of a provider (metrics, the
/// per-grain-type router) implements it by forwarding to what it wraps, so the capability is never lost on the way.</summary>
public interface IVersionedGrainStorage
{
    /// <summary>Erases every earlier version of the record; the current one stays.</summary>
    Task EraseEarlierVersionsAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default);
}

/// <summary>The one place that asks whether a provider keeps earlier versions.</summary>
public static class VersionedGrainStorageExtensions
{
    /// <summary>Erases every earlier version of the record where <paramref name="storage"/> keeps them
    /// (<see cref="IVersionedGrainStorage"/>); nothing to do for a provider that keeps none.</summary>
    public static Task EraseEarlierVersionsAsync(this IGrainStorage storage, string stateName, GrainId grainId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return storage is IVersionedGrainStorage versioned
            ? versioned.EraseEarlierVersionsAsync(stateName, grainId, cancellationToken)
            : Task.CompletedTask;
    }
}
