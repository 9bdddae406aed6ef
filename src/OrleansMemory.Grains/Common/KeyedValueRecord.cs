using OrleansMemory.Grains.Storage;

namespace OrleansMemory.Grains;

/// <summary>The state of a record that holds one value and the idempotency keys of its recent writes (a cache entry, a
/// system state value).</summary>
internal interface IKeyedValueState
{
    /// <summary>The hashes of the idempotency keys of recent writes, stored with the change they guard.</summary>
    List<IdempotencyRecord>? Keys { get; set; }

    /// <summary>Whether it holds a value (false in a tombstone, which holds only keys).</summary>
    bool HasValue { get; }

    /// <summary>Forgets the value (and what belongs to it), keeping the keys.</summary>
    void ClearValue();
}

/// <summary>Idempotent writes and deletes of a record whose state is an <see cref="IKeyedValueState"/>.</summary>
internal static class KeyedValueRecord
{
    /// <summary>Whether this call is a retry of a write with the same key (its first outcome stands); otherwise the key is
    /// added to the state, to be stored by the write that follows. Without a key: false.</summary>
    public static bool Replayed<T>(this StateRecord<T> record, string? idempotencyKey, string request, DateTimeOffset now, MemoryGrainOptions options)
        where T : class, IKeyedValueState, new()
    {
        var keys = record.State.Keys;
        var replayed = Idempotency.Replayed(ref keys, idempotencyKey, request, now, options);
        record.State.Keys = keys;
        return replayed;
    }

    /// <summary>Removes the value: the record goes, or stays as a tombstone holding only the hashes of the idempotency
    /// keys still within their window, so that a retried write is not applied again.</summary>
    public static Task ClearValueAsync<T>(this StateRecord<T> record, DateTimeOffset now, MemoryGrainOptions options)
        where T : class, IKeyedValueState, new()
    {
        var keys = record.State.Keys?.Where(k => now - k.At < options.IdempotencyWindow).ToList();
        if (keys is not { Count: > 0 })
        {
            return record.ClearAsync();
        }

        record.State.ClearValue();
        record.State.Keys = keys;
        return record.WriteAsync();
    }

    /// <summary>At activation: deletes a tombstone whose keys all left their window.</summary>
    public static Task DropExpiredTombstoneAsync<T>(this StateRecord<T> record, DateTimeOffset now, MemoryGrainOptions options)
        where T : class, IKeyedValueState, new() =>
        record.Exists && !record.State.HasValue && record.State.Keys?.Exists(k => now - k.At < options.IdempotencyWindow) != true
            ? record.ClearAsync()
            : Task.CompletedTask;
}
