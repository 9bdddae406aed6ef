namespace OrleansMemory.Silo.Metrics;

/// <summary>The silo's grain storage serializer, wrapped to add the size of every state it writes or reads to the
/// storage operation under way (<see cref="StorageByteCount"/>).</summary>
internal sealed class CountingGrainStorageSerializer(IGrainStorageSerializer inner) : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input)
    {
        var data = inner.Serialize(input);
        StorageByteCount.Add(data.ToMemory().Length);
        return data;
    }

    public T? Deserialize<T>(BinaryData input)
    {
        ArgumentNullException.ThrowIfNull(input);
        StorageByteCount.Add(input.ToMemory().Length);
        return inner.Deserialize<T>(input);
    }
}
