using System.Text.Json;

namespace OrleansMemory.Abstractions;

/// <summary>A named piece of system state (key = state key) holding one JSON value.</summary>
[Alias("orleansmemory.ISystemStateGrain")]
public interface ISystemStateGrain : IGrainWithStringKey
{
    /// <summary>Stores the value, replacing any previous one.</summary>
    Task SetAsync(JsonElement value, CancellationToken cancellationToken = default);

    /// <summary>The stored value, or null when none is stored.</summary>
    Task<JsonElement?> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the value.</summary>
    Task DeleteAsync(CancellationToken cancellationToken = default);
}
