using System.Text.Json;

namespace OrleansMemory.Abstractions;

/// <summary>Helpers for the free-form metadata carried by messages, memories and records: a JSON object as a
/// dictionary of property name to JSON value.</summary>
public static class Metadata
{
    /// <summary>An empty metadata dictionary.</summary>
    public static IReadOnlyDictionary<string, JsonElement> Empty { get; } = new Dictionary<string, JsonElement>();

    /// <summary>Builds metadata from plain values (strings, numbers, booleans, or anything System.Text.Json can write).</summary>
    public static IReadOnlyDictionary<string, JsonElement> From(params (string Key, object? Value)[] entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var result = new Dictionary<string, JsonElement>(entries.Length, StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            result[key] = JsonSerializer.SerializeToElement(value);
        }

        return result;
    }
}
