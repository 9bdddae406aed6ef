namespace OrleansMemory;

/// <summary>Turns grain state into bytes and back for storage providers.</summary>
public interface IGrainStorageSerializer
{
    /// <summary>Serializes a state value.</summary>
    byte[] Serialize<T>(T value);

    /// <summary>Deserializes a state value.</summary>
    T Deserialize<T>(ReadOnlySpan<byte> data);
}
