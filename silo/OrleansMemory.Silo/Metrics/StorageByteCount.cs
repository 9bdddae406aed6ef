namespace OrleansMemory.Silo.Metrics;

/// <summary>The state bytes serialized or deserialized during one storage operation: <see cref="InstrumentedGrainStorage"/>
/// opens a count in the async flow of the call, <see cref="CountingGrainStorageSerializer"/> adds to it.</summary>
internal sealed class StorageByteCount
{
    private static readonly AsyncLocal<StorageByteCount?> Current = new();
    private StorageByteCount? _outer;
    private long _bytes;

    public long Bytes => Interlocked.Read(ref _bytes);

    public static StorageByteCount Begin()
    {
        var count = new StorageByteCount { _outer = Current.Value };
        Current.Value = count;
        return count;
    }

    public static void Add(long bytes)
    {
        if (Current.Value is { } count)
        {
            Interlocked.Add(ref count._bytes, bytes);
        }
    }

    public void End() => Current.Value = _outer;
}
