using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Storage;

/// <summary>The memory grains' view of their storage provider: every failure other than an ETag conflict (a stale
/// activation) or a cancellation becomes a <see cref="MemoryStorageException"/>, which crosses the wire and which the
/// API answers with 503, so that an outage never reads as a bug (500) and no provider's message (paths, hosts, keys)
/// reaches a caller. Forwards the erasure of earlier versions, as every decorator does.</summary>
internal sealed class StorageFailures(IGrainStorage inner) : IGrainStorage, IVersionedGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        RunAsync("read", () => inner.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        RunAsync("write", () => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        RunAsync("clear", () => inner.ClearStateAsync(stateName, grainId, grainState));

    public Task EraseEarlierVersionsAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default) =>
        RunAsync("erase", () => inner.EraseEarlierVersionsAsync(stateName, grainId, cancellationToken));

    private static async Task RunAsync(string operation, Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (InconsistentStateException or OperationCanceledException or MemoryStorageException or MemoryValidationException))
        {
            throw new MemoryStorageException(operation, Innermost(ex).GetType().Name);
        }
    }

    private static Exception Innermost(Exception ex) => ex.InnerException is { } inner ? Innermost(inner) : ex;
}
