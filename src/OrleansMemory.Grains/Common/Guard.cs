using System.Text;
using System.Text.Json;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains;

/// <summary>Input validation at the grain boundary: every failure is a <see cref="MemoryValidationException"/>.</summary>
internal static class Guard
{
    public static string Id(string? value, string paramName, MemoryGrainOptions options)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new MemoryValidationException($"{paramName} must not be empty.", paramName);
        }

        if (value.Length > options.MaxIdLength)
        {
            throw new MemoryValidationException($"{paramName} is {value.Length} characters long; the limit is {options.MaxIdLength}.", paramName);
        }

        return value;
    }

    public static string? OptionalId(string? value, string paramName, MemoryGrainOptions options) =>
        string.IsNullOrEmpty(value) ? null : Id(value, paramName, options);

    public static string Text(string? value, int maxLength, string paramName, bool allowEmpty = false)
    {
        if (value is null || (!allowEmpty && string.IsNullOrWhiteSpace(value)))
        {
            throw new MemoryValidationException($"{paramName} must not be empty.", paramName);
        }

        if (value.Length > maxLength)
        {
            throw new MemoryValidationException($"{paramName} is {value.Length} characters long; the limit is {maxLength}.", paramName);
        }

        return value;
    }

    public static string Role(string? role, string paramName)
    {
        if (!MessageRoles.IsValid(role))
        {
            throw new MemoryValidationException($"{paramName} '{role}' is not a role; use system, user, assistant or tool.", paramName);
        }

        return role!;
    }

    public static int Range(int value, int min, int max, string paramName)
    {
        if (value < min || value > max)
        {
            throw new MemoryValidationException($"{paramName} must be within {min}..{max} (is {value}).", paramName);
        }

        return value;
    }

    public static long NotNegative(long value, string paramName)
    {
        if (value < 0)
        {
            throw new MemoryValidationException($"{paramName} must not be negative (is {value}).", paramName);
        }

        return value;
    }

    public static double UnitInterval(double value, string paramName)
    {
        if (double.IsNaN(value) || value < 0 || value > 1)
        {
            throw new MemoryValidationException($"{paramName} must be within 0..1 (is {value}).", paramName);
        }

        return value;
    }

    public static IReadOnlyList<T> Items<T>(IReadOnlyList<T>? items, string paramName, MemoryGrainOptions options, bool allowEmpty = true)
    {
        if (items is null)
        {
            throw new MemoryValidationException($"{paramName} must not be null.", paramName);
        }

        if (!allowEmpty && items.Count == 0)
        {
            throw new MemoryValidationException($"{paramName} must not be empty.", paramName);
        }

        if (items.Count > options.MaxItemsPerCall)
        {
            throw new MemoryValidationException($"{paramName} has {items.Count} items; the limit per call is {options.MaxItemsPerCall}.", paramName);
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null)
            {
                throw new MemoryValidationException($"{paramName}[{i}] is null.", paramName);
            }
        }

        return items;
    }

    public static JsonElement Json(JsonElement value, string paramName)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            throw new MemoryValidationException($"{paramName} must be a JSON value.", paramName);
        }

        return value;
    }

    /// <summary>Checks a metadata object against the entry, key and size limits.</summary>
    public static IReadOnlyDictionary<string, JsonElement>? Metadata(IReadOnlyDictionary<string, JsonElement>? metadata, string paramName, MemoryGrainOptions options)
    {
        if (metadata is null)
        {
            return null;
        }

        if (metadata.Count > options.MaxMetadataEntries)
        {
            throw new MemoryValidationException($"{paramName} has {metadata.Count} entries; the limit is {options.MaxMetadataEntries}.", paramName);
        }

        long bytes = 2;
        foreach (var (key, value) in metadata)
        {
            if (key is null || value.ValueKind == JsonValueKind.Undefined)
            {
                throw new MemoryValidationException($"{paramName} has an entry without a key or value.", paramName);
            }

            if (key.Length > options.MaxMetadataKeyLength)
            {
                throw new MemoryValidationException($"{paramName} has a key of {key.Length} characters; the limit is {options.MaxMetadataKeyLength}.", paramName);
            }

            bytes += Encoding.UTF8.GetByteCount(key) + JsonBytes(value) + 4;
        }

        if (bytes > options.MaxMetadataBytes)
        {
            throw new MemoryValidationException($"{paramName} is {bytes} bytes of JSON; the limit is {options.MaxMetadataBytes}.", paramName);
        }

        return metadata;
    }

    /// <summary>Checks an optional short free text (reason, goal) against <see cref="MemoryGrainOptions.MaxReasonLength"/>.</summary>
    public static string? Reason(string? value, string paramName, MemoryGrainOptions options) =>
        value is null ? null : Text(value, options.MaxReasonLength, paramName, allowEmpty: true);

    /// <summary>Checks an optional free JSON value against <see cref="MemoryGrainOptions.MaxValueBytes"/>.</summary>
    public static JsonElement? Value(JsonElement? value, string paramName, MemoryGrainOptions options)
    {
        if (value is { } v && v.ValueKind != JsonValueKind.Undefined && JsonBytes(v) is var bytes && bytes > options.MaxValueBytes)
        {
            throw new MemoryValidationException($"{paramName} is {bytes} bytes of JSON; the limit is {options.MaxValueBytes}.", paramName);
        }

        return value;
    }

    /// <summary>The UTF-8 size of a JSON value as stored.</summary>
    public static long JsonBytes(JsonElement value) => value.ValueKind == JsonValueKind.Undefined
        ? 0
        : System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value).Length;

    /// <summary>The UTF-8 size of a metadata object's JSON.</summary>
    public static long MetadataBytes(IReadOnlyDictionary<string, JsonElement>? metadata)
    {
        if (metadata is null)
        {
            return 0;
        }

        long bytes = 2;
        foreach (var (key, value) in metadata)
        {
            bytes += Encoding.UTF8.GetByteCount(key) + JsonBytes(value) + 4;
        }

        return bytes;
    }

    public static TimeSpan Positive(TimeSpan value, string paramName)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new MemoryValidationException($"{paramName} must be positive (is {value}).", paramName);
        }

        return value;
    }
}
