using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansMemory.Runtime;

/// <summary>Writes and reads frames: <c>[int32 length][int32 header length][header JSON][body JSON]</c>. Headers use the
/// source-generated <see cref="WireJsonContext"/>; bodies (arguments, results) are serialized with each method's
/// declared parameter and return types, with the same settings as the in-process deep copy.</summary>
internal sealed class WireCodec
{
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public WireCodec(Func<Type, GrainId, object> createReference, int maxFrameSize)
    {
        MaxFrameSize = maxFrameSize;
        BodyOptions = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            IncludeFields = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            MaxDepth = 256,
            Converters = { new GrainReferenceConverterFactory(createReference) },
        };
    }

    public JsonSerializerOptions BodyOptions { get; }

    public int MaxFrameSize { get; }

    /// <summary>A frame with only a header.</summary>
    public static PooledBuffer Encode(WireHeader header)
    {
        var buffer = new PooledBuffer(256);
        WriteHeader(buffer, header);
        buffer.EndFrame();
        return buffer;
    }

    /// <summary>A request frame: the header, then the arguments as a JSON array of the declared parameter types.</summary>
    public PooledBuffer EncodeRequest(WireHeader header, GrainMethod method, object?[] arguments)
    {
        var buffer = new PooledBuffer();
        try
        {
            WriteHeader(buffer, header);
            var writer = Writer(buffer);
            writer.WriteStartArray();
            var types = method.ParameterTypes;
            for (var i = 0; i < types.Length; i++)
            {
                if (types[i] == typeof(CancellationToken))
                {
                    writer.WriteNullValue();
                }
                else
                {
                    JsonSerializer.Serialize(writer, arguments[i], types[i], BodyOptions);
                }
            }

            writer.WriteEndArray();
            writer.Flush();
            buffer.EndFrame();
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>A response frame: the header, then the result as JSON of the declared result type.</summary>
    public PooledBuffer EncodeResponse(WireHeader header, Type resultType, object? result)
    {
        var buffer = new PooledBuffer();
        try
        {
            WriteHeader(buffer, header);
            var writer = Writer(buffer);
            JsonSerializer.Serialize(writer, result, resultType, BodyOptions);
            writer.Flush();
            buffer.EndFrame();
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>Reads the arguments of <paramref name="method"/> from a request body.</summary>
    public object?[] DecodeArguments(GrainMethod method, ReadOnlySequence<byte> body, CancellationToken cancellation)
    {
        var types = method.ParameterTypes;
        var arguments = new object?[types.Length];
        var reader = new Utf8JsonReader(body);
        reader.Read(); // [
        for (var i = 0; i < types.Length; i++)
        {
            reader.Read();
            arguments[i] = types[i] == typeof(CancellationToken) ? cancellation : JsonSerializer.Deserialize(ref reader, types[i], BodyOptions);
        }

        return arguments;
    }

    /// <summary>Reads a result of type <typeparamref name="T"/> from a response body.</summary>
    public T DecodeResult<T>(ReadOnlySequence<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        return JsonSerializer.Deserialize<T>(ref reader, BodyOptions)!;
    }

    /// <summary>Takes one complete frame off the front of <paramref name="buffer"/>, if there is one.</summary>
    /// <exception cref="InvalidDataException">The frame is malformed or larger than allowed.</exception>
    public bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out WireHeader header, out ReadOnlySequence<byte> body)
    {
        header = null!;
        body = default;
        if (buffer.Length < 8)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[8];
        buffer.Slice(0, 8).CopyTo(prefix);
        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        var headerLength = BinaryPrimitives.ReadInt32LittleEndian(prefix[4..]);
        if (length < 4 || length > MaxFrameSize || headerLength < 0 || headerLength > length - 4)
        {
            throw new InvalidDataException($"Malformed frame: length {length}, header length {headerLength} (max frame size {MaxFrameSize}).");
        }

        if (buffer.Length < 4 + length)
        {
            return false;
        }

        var headerReader = new Utf8JsonReader(buffer.Slice(8, headerLength));
        header = JsonSerializer.Deserialize(ref headerReader, WireJsonContext.Default.WireHeader)
            ?? throw new InvalidDataException("Malformed frame: empty header.");
        body = buffer.Slice(8 + headerLength, length - 4 - headerLength);
        buffer = buffer.Slice(4 + length);
        return true;
    }

    /// <summary>One reusable writer per thread (frames are encoded synchronously, never nested).</summary>
    private static Utf8JsonWriter Writer(PooledBuffer buffer)
    {
        var writer = t_writer;
        if (writer is null)
        {
            t_writer = writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        }
        else
        {
            writer.Reset(buffer);
        }

        return writer;
    }

    private static void WriteHeader(PooledBuffer buffer, WireHeader header)
    {
        var writer = Writer(buffer);
        JsonSerializer.Serialize(writer, header, WireJsonContext.Default.WireHeader);
        writer.Flush();
        buffer.EndHeader();
    }

    /// <summary>Grain references cross the wire as their grain id and come back as references of the receiving side.</summary>
    private sealed class GrainReferenceConverterFactory(Func<Type, GrainId, object> createReference) : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsInterface && typeof(IAddressable).IsAssignableFrom(typeToConvert);

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(GrainReferenceConverter<>).MakeGenericType(typeToConvert), createReference)!;
    }

    private sealed class GrainReferenceConverter<T>(Func<Type, GrainId, object> createReference) : JsonConverter<T> where T : class
    {
        public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? null : (T)createReference(typeof(T), GrainId.Parse(reader.GetString()!));

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(((IAddressable)value).GrainId.ToString());
    }
}
