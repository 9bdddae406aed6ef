using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Silo.Api;

/// <summary>Works around System.Text.Json's schema exporter, which fails on records whose constructor has a
/// <c>DateTimeOffset x = default</c> parameter (the parameter's default value reads as null): these records are
/// (de)serialized through a converter, exactly as without it, so the OpenAPI generator treats them as opaque
/// instead of failing the whole document.</summary>
internal sealed class OpaqueSchemaConverterFactory : JsonConverterFactory
{
    private static readonly HashSet<Type> Types =
    [
        typeof(RawMessage), typeof(ReasoningStep), typeof(ReasoningChain), typeof(ShortTermMessage), typeof(ImportedMemory), typeof(MemoryFormationRecord),
    ];

    public override bool CanConvert(Type typeToConvert) => Types.Contains(typeToConvert);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        var inner = new JsonSerializerOptions(options);
        for (var i = inner.Converters.Count - 1; i >= 0; i--)
        {
            if (inner.Converters[i] is OpaqueSchemaConverterFactory)
            {
                inner.Converters.RemoveAt(i);
            }
        }

        return (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert), inner)!;
    }

    private sealed class Converter<T>(JsonSerializerOptions inner) : JsonConverter<T>
    {
        public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            JsonSerializer.Deserialize<T>(ref reader, inner);

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value, inner);
    }
}
