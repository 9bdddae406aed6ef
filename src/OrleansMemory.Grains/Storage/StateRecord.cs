namespace OrleansMemory.Grains.Storage;

/// <summary>One named state record of a grain, read and written through a storage provider directly (for records whose
/// provider is configured at run time rather than fixed by a constructor attribute). With a <paramref name="batch"/>,
/// a write while it is open is staged and stored by its commit.</summary>
internal sealed class StateRecord<T>(IGrainStorage storage, GrainId grainId, string stateName, WriteBatch? batch = null) : IStagedWrites
    where T : class, new()
{
    private readonly GrainState<T> _state = new();
    private bool _loaded;

    /// <summary>The state value (a default instance until read or when absent).</summary>
    public T State
    {
        get => _state.State ??= new T();
        set => _state.State = value;
    }

    /// <summary>Whether a record exists in storage.</summary>
    public bool Exists => _state.RecordExists;

    /// <summary>Whether the record has been read.</summary>
    public bool IsLoaded => _loaded;

    public async Task ReadAsync()
    {
        await storage.ReadStateAsync(stateName, grainId, _state);
        _loaded = true;
    }

    /// <summary>Reads the record unless it was read already.</summary>
    public Task EnsureLoadedAsync() => _loaded ? Task.CompletedTask : ReadAsync();

    public async Task WriteAsync()
    {
        await EnsureLoadedAsync(); // the ETag of the stored record is needed to overwrite it
        if (batch is { IsOpen: true })
        {
            batch.Stage(this);
            return;
        }

        await storage.WriteStateAsync(stateName, grainId, _state);
    }

    /// <inheritdoc />
    Task IStagedWrites.CommitAsync() => storage.WriteStateAsync(stateName, grainId, _state);

    /// <inheritdoc />
    void IStagedWrites.Discard()
    {
    }

    /// <summary>Deletes the record (nothing happens when none exists) and resets the state.</summary>
    public async Task ClearAsync()
    {
        batch?.ThrowIfOpen(stateName);
        await EnsureLoadedAsync();
        if (_state.RecordExists || _state.ETag is not null)
        {
            await storage.ClearStateAsync(stateName, grainId, _state);
            _state.State = new T();
        }
        else
        {
            // Nothing stored: no provider call (a file provider may not even have the grain's folder).
            _state.State = new T();
        }
    }
}
