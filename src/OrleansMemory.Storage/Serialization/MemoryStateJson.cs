using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace OrleansMemory.Storage;

/// <summary>The System.Text.Json conventions of stored grain state: snake_case property names, snake_case string enums,
/// public fields included, named floating-point literals (NaN, Infinity) allowed, nulls written except where reading
/// gives null anyway (<see cref="OmitNullOptionalParameters"/>). They match the files
/// the earlier storage design wrote, so old <c>storage_data</c> folders still load.</summary>
public static class MemoryStateJson
{
    /// <summary>Applies the conventions to <paramref name="options"/> (which must not be in use yet).</summary>
    public static JsonSerializerOptions Apply(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.IncludeFields = true;
        options.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        if (!options.Converters.Any(c => c is JsonStringEnumConverter))
        {
            options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        }

        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(OmitNullOptionalParameters);
        return options;
    }

    /// <summary>A null value of a constructor parameter whose default is null (<c>string? SupersededBy = null</c>) is not
    /// written: reading a record without it gives the same null, and a memory or history event is about a fifth smaller
    /// (every other null is still written, since a missing member could read back as a non-null default).</summary>
    private static void OmitNullOptionalParameters(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in typeInfo.Properties)
        {
            if (property.AssociatedParameter is { HasDefaultValue: true, DefaultValue: null })
            {
                property.ShouldSerialize = static (_, value) => value is not null;
            }
        }
    }

    /// <summary>New options with the conventions, for tools that read stored records outside a silo.</summary>
    public static JsonSerializerOptions CreateOptions(bool writeIndented)
    {
        var options = Apply(new JsonSerializerOptions(JsonSerializerDefaults.General));
        options.WriteIndented = writeIndented;
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
