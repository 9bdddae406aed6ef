using System.Text.Json;

namespace OrleansMemory.Abstractions;

/// <summary>A named piece of system state (key = state key) holding one JSON value.</summary>
[Alias("orleansmemory.ISystemStateGrain")]
public interface ISystemStateGrain : IGrainWithStringKey
{
    /// <summary>Stores the value, replacing any previous one. With <paramref name="idempotencyKey"/> (see
    /// <see cref="IdempotencyKeys"/>), a retry with the same key within the idempotency window changes nothing.</summary>
    Task SetAsync(JsonElement value, string? idempotencyKey = null, CancellationToken cancellationToken = default);

    /// <summary>The stored value, or null when none is stored.</summary>
    Task<JsonElement?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the value. With <paramref name="idempotencyKey"/>, a retry with the same key within the
    /// idempotency window changes nothing.</summary>
    Task DeleteAsync(string? idempotencyKey = null, CancellationToken cancellationToken = default);
}
