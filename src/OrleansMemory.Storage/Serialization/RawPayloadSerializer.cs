namespace OrleansMemory.Storage;

/// <summary>Passes <see cref="RawPayload"/> through as bytes and hands every other type to the provider's real
/// serializer, so the catalog and the grains share one provider instance.</summary>
internal sealed class RawPayloadSerializer(IGrainStorageSerializer inner) : IGrainStorageSerializer
{
    /// <summary>The serializer used for grain state.</summary>
    public IGrainStorageSerializer Inner { get; } = inner;

    public BinaryData Serialize<T>(T? input) =>
        input is RawPayload raw ? BinaryData.FromBytes(raw.Bytes) : Inner.Serialize(input);

    public T? Deserialize<T>(BinaryData input) =>
        typeof(T) == typeof(RawPayload) ? (T)(object)new RawPayload { Bytes = input.ToArray() } : Inner.Deserialize<T>(input);
}
