namespace OrleansMemory.Configuration;

/// <summary>Options of the Redis membership table.</summary>
public sealed class RedisClusteringOptions
{
    /// <summary>The StackExchange.Redis configuration string, for example <c>127.0.0.1:6379</c>.</summary>
    public string ConfigurationString { get; set; } = "127.0.0.1:6379";

    /// <summary>Prefix of the hash key; the key is <c>{prefix}{ServiceId}/{ClusterId}</c>.</summary>
    public string KeyPrefix { get; set; } = "orleansmemory:membership:";

    /// <summary>The Redis database number.</summary>
    public int Database { get; set; }
}
