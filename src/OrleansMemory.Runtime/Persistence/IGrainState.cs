namespace OrleansMemory;

/// <summary>A grain's state as a storage provider sees it: the value, its ETag and whether a record exists.</summary>
public interface IGrainState<T>
{
    /// <summary>The state value. Never null after a read: an absent record reads as a new default instance.</summary>
    T State { get; set; }

    /// <summary>The version of the stored record this state was read from or last written as; null when no record exists.</summary>
    string? ETag { get; set; }

    /// <summary>Whether a record exists in storage.</summary>
    bool RecordExists { get; set; }
}

/// <summary>A plain <see cref="IGrainState{T}"/>.</summary>
public sealed class GrainState<T> : IGrainState<T>
{
    /// <summary>Creates an empty state holding a default instance of <typeparamref name="T"/>.</summary>
    public GrainState() : this(GrainStateFactory.CreateDefault<T>()) { }

    /// <summary>Creates a state holding the given value.</summary>
    public GrainState(T state, string? eTag = null, bool recordExists = false)
    {
        State = state;
        ETag = eTag;
        RecordExists = recordExists;
    }

    /// <inheritdoc />
    public T State { get; set; }

    /// <inheritdoc />
    public string? ETag { get; set; }

    /// <inheritdoc />
    public bool RecordExists { get; set; }
}
