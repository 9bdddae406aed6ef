using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>A real storage provider wrapped to observe it: every call is passed on, then reported to the cluster's
/// <see cref="StorageRecorder"/>; written bytes are counted as the silo's storage serializer encodes the state.</summary>
public sealed class RecordingGrainStorage(IGrainStorage inner, IGrainStorageSerializer serializer, StorageRecorder recorder)
    : IGrainStorage, IVersionedGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The wrapped provider.</summary>
    public IGrainStorage Inner => inner;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        await inner.ReadStateAsync(stateName, grainId, grainState, cancellationToken);
        recorder.Read(grainId, stateName, grainState.RecordExists);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        recorder.BeforeWrite(grainId, stateName);
        await inner.WriteStateAsync(stateName, grainId, grainState, cancellationToken);
        recorder.Wrote(grainId, stateName, serializer.Serialize(grainState.State).ToMemory().Length);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        recorder.BeforeClear(grainId, stateName);
        await inner.ClearStateAsync(stateName, grainId, grainState, cancellationToken);
        recorder.Cleared(grainId, stateName);
    }

    /// <summary>Passed on to a provider that keeps earlier versions.</summary>
    public Task EraseEarlierVersionsAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default) =>
        inner.EraseEarlierVersionsAsync(stateName, grainId, cancellationToken);

    /// <summary>A provider that takes part in the silo lifecycle (opening files or connections) still does.</summary>
    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);
}
