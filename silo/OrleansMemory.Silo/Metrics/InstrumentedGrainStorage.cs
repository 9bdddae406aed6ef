using System.Diagnostics;
using OrleansMemory.Abstractions;
using OrleansMemory.Storage;

namespace OrleansMemory.Silo.Metrics;

/// <summary>Registered under a provider's name in its place: every read, write and clear through the provider (Orleans'
/// persistent state and the memory grains' own records and pages alike) is counted, timed, sized and traced, by
/// provider, grain type and state kind. Stays the provider's lifecycle participant, and passes erasures of earlier
/// versions through to a provider that keeps them.</summary>
internal sealed class InstrumentedGrainStorage(string provider, string providerType, IGrainStorage inner, MemoryMetrics metrics)
    : IGrainStorage, IGrainStorageDecorator, IVersionedGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public IGrainStorage InnerStorage => inner;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        RunAsync("read", stateName, grainId, () => inner.ReadStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        RunAsync("write", stateName, grainId, () => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        RunAsync("clear", stateName, grainId, () => inner.ClearStateAsync(stateName, grainId, grainState));

    public Task EraseEarlierVersionsAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default) =>
        RunAsync("erase_versions", stateName, grainId, () => inner.EraseEarlierVersionsAsync(stateName, grainId, cancellationToken));

    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    /// <summary><c>raw_messages/000042</c> → <c>raw_messages</c>; <c>memories</c> stays.</summary>
    internal static string StateKind(string stateName)
    {
        var slash = stateName.LastIndexOf('/');
        return slash > 0 && stateName.AsSpan(slash + 1).ContainsAnyExceptInRange('0', '9') is false ? stateName[..slash] : stateName;
    }

    private async Task RunAsync(string operation, string stateName, GrainId grainId, Func<Task> call)
    {
        var tags = new StorageTags(provider, providerType, grainId.Type.ToString()!, StateKind(stateName));
        using var activity = MemoryMetrics.Storage.StartActivity("storage " + operation + " " + tags.StateKind, ActivityKind.Internal);
        activity?.SetTag("storage.provider", provider).SetTag("storage.type", providerType).SetTag("grain.type", tags.GrainType)
            .SetTag("state.kind", tags.StateKind);
        var counted = StorageByteCount.Begin();
        var started = Stopwatch.GetTimestamp();
        try
        {
            await call().ConfigureAwait(false);
            metrics.RecordStorage(tags, operation, "ok", null, counted.Bytes, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex)
        {
            var etag = ex is InconsistentStateException;
            metrics.RecordStorage(tags, operation, etag ? "etag_conflict" : "error", etag ? null : ex.GetType().Name, counted.Bytes, Stopwatch.GetElapsedTime(started));
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
        finally
        {
            counted.End();
        }
    }
}
