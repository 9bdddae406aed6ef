namespace OrleansMemory;

/// <summary>A grain's persistent state, injected into the grain constructor with <see cref="PersistentStateAttribute"/>.
/// Read before <see cref="Grain.OnActivateAsync"/>; written only when the grain calls <see cref="WriteStateAsync"/>.</summary>
public interface IPersistentState<TState>
{
    /// <summary>The state value.</summary>
    TState State { get; set; }

    /// <summary>The ETag of the stored record; null when none exists.</summary>
    string? Etag { get; }

    /// <summary>Whether a record exists in storage.</summary>
    bool RecordExists { get; }

    /// <summary>Re-reads the state from storage, replacing <see cref="State"/>.</summary>
    Task ReadStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes <see cref="State"/> to storage.</summary>
    /// <exception cref="InconsistentStateException">Storage holds a newer version; nothing was written.</exception>
    Task WriteStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the record and resets <see cref="State"/> to its default.</summary>
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
