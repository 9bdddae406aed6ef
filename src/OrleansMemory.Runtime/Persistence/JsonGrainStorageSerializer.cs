using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansMemory;

/// <summary>The default storage serializer: UTF-8 JSON with snake_case property names and string enums, so stored
/// records are readable and match the earlier storage design's field names.</summary>
public sealed class JsonGrainStorageSerializer : IGrainStorageSerializer
{
    /// <summary>The options used for compact output.</summary>
    public static readonly JsonSerializerOptions CompactOptions = CreateOptions(writeIndented: false);

    /// <summary>The options used for indented output.</summary>
    public static readonly JsonSerializerOptions IndentedOptions = CreateOptions(writeIndented: true);

    private readonly JsonSerializerOptions _options;

    /// <summary>Creates the serializer.</summary>
    /// <param name="writeIndented">Pretty-print the JSON.</param>
    public JsonGrainStorageSerializer(bool writeIndented = false) => _options = writeIndented ? IndentedOptions : CompactOptions;

    /// <inheritdoc />
    public byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, _options);

    /// <inheritdoc />
    public T Deserialize<T>(ReadOnlySpan<byte> data) =>
        JsonSerializer.Deserialize<T>(data, _options) ?? GrainStateFactory.CreateDefault<T>();

    /// <summary>Creates options with the conventions used for stored state.</summary>
    public static JsonSerializerOptions CreateOptions(bool writeIndented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            WriteIndented = writeIndented,
            IncludeFields = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
