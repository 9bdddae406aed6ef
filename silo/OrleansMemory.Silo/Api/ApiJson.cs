using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansMemory.Silo.Api;

/// <summary>The HTTP API's JSON conventions: snake_case names and enum values, strict reading (unknown properties,
/// missing required properties and nulls in non-nullable places are errors).</summary>
public static class ApiJson
{
    /// <summary>Applies the conventions to <paramref name="options"/>.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.RespectRequiredConstructorParameters = true;
        options.RespectNullableAnnotations = true;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.Converters.Add(new OpaqueSchemaConverterFactory());
    }

    /// <summary>Options with the conventions, for tests and clients.</summary>
    public static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        return options;
    }
}
