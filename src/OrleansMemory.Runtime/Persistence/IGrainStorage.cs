namespace OrleansMemory;

/// <summary>A grain storage provider: reads, writes and clears one state record per (grain, state name),
/// with optimistic concurrency on <see cref="IGrainState{T}.ETag"/>. Providers are registered as keyed services
/// under their name.</summary>
public interface IGrainStorage
{
    /// <summary>Reads the record into <paramref name="grainState"/>. An absent record sets a default state,
    /// a null ETag and <see cref="IGrainState{T}.RecordExists"/> false.</summary>
    Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);

    /// <summary>Writes the state if the stored record still has <paramref name="grainState"/>'s ETag (or, with a null
    /// ETag, if no record exists), then sets the new ETag.</summary>
    /// <exception cref="InconsistentStateException">The ETag does not match; the stored record is unchanged.</exception>
    Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);

    /// <summary>Deletes the record if its ETag matches, then resets the state to default with a null ETag.</summary>
    /// <exception cref="InconsistentStateException">The ETag does not match; the stored record is unchanged.</exception>
    Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);
}
