using System.Text.Json;

namespace OrleansMemory.Abstractions;

/// <summary>How Orleans' serializer carries a <see cref="JsonElement"/> (documents, metadata values, tool arguments)
/// across a grain call: its UTF-8 JSON text.</summary>
[GenerateSerializer, Immutable, Alias("orleansmemory.JsonElement")]
public readonly struct JsonElementSurrogate
{
    /// <summary>Creates a surrogate.</summary>
    /// <param name="utf8Json">The element's JSON text as UTF-8; empty for an undefined element.</param>
    public JsonElementSurrogate(byte[] utf8Json) => Utf8Json = utf8Json;

    /// <summary>The element's JSON text as UTF-8; empty for an undefined element.</summary>
    [Id(0)]
    public byte[] Utf8Json { get; }
}

/// <summary>Converts <see cref="JsonElement"/> to and from <see cref="JsonElementSurrogate"/> for Orleans' serializer.</summary>
[RegisterConverter]
public sealed class JsonElementSurrogateConverter : IConverter<JsonElement, JsonElementSurrogate>
{
    /// <inheritdoc />
    public JsonElement ConvertFromSurrogate(in JsonElementSurrogate surrogate) =>
        surrogate.Utf8Json is not { Length: > 0 } json ? default : JsonSerializer.Deserialize<JsonElement>(json);

    /// <inheritdoc />
    public JsonElementSurrogate ConvertToSurrogate(in JsonElement value) =>
        new(value.ValueKind == JsonValueKind.Undefined ? [] : JsonSerializer.SerializeToUtf8Bytes(value));
}

/// <summary>A <see cref="JsonElement"/> is never changed after it is created, so a grain call passes it without a copy.</summary>
[RegisterCopier]
public sealed class JsonElementCopier : IDeepCopier<JsonElement>
{
    /// <inheritdoc />
    public JsonElement DeepCopy(JsonElement input, CopyContext context) => input;
}
