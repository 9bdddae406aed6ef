using System.Diagnostics;

namespace OrleansMemory.Runtime;

/// <summary>Loads a persistent state during activation.</summary>
internal interface IPersistentStateLoader
{
    Task ReadStateAsync(CancellationToken cancellationToken);
}

/// <summary>The <see cref="IPersistentState{TState}"/> given to grains: a state bound to one grain, state name and provider.</summary>
internal sealed class PersistentState<TState>(string stateName, string storageName, GrainId grainId, IGrainStorage storage, RuntimeInstruments instruments)
    : IPersistentState<TState>, IGrainState<TState>, IPersistentStateLoader
{
    public TState State { get; set; } = GrainStateFactory.CreateDefault<TState>();

    public string? Etag => ETag;

    public string? ETag { get; set; }

    public bool RecordExists { get; set; }

    public Task ReadStateAsync(CancellationToken cancellationToken = default) =>
        RunAsync("read", () => storage.ReadStateAsync(stateName, grainId, this), cancellationToken);

    public Task WriteStateAsync(CancellationToken cancellationToken = default) =>
        RunAsync("write", () => storage.WriteStateAsync(stateName, grainId, this), cancellationToken);

    public Task ClearStateAsync(CancellationToken cancellationToken = default) =>
        RunAsync("clear", () => storage.ClearStateAsync(stateName, grainId, this), cancellationToken);

    private async Task RunAsync(string operation, Func<Task> action, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var start = Stopwatch.GetTimestamp();
        try
        {
            await action();
            instruments.StorageOperation(storageName, operation, start, failed: false);
        }
        catch
        {
            instruments.StorageOperation(storageName, operation, start, failed: true);
            throw;
        }
    }
}
