namespace OrleansMemory.Configuration;

/// <summary>Options of the Redis grain storage.</summary>
public sealed class RedisGrainStorageOptions
{
    /// <summary>The StackExchange.Redis configuration string, for example <c>127.0.0.1:6379</c> or
    /// <c>redis1:6379,password=...,ssl=true</c>.</summary>
    public string ConfigurationString { get; set; } = "127.0.0.1:6379";

    /// <summary>Prepended to every key this provider writes, so several services can share one server.</summary>
    public string KeyPrefix { get; set; } = "omem:";

    /// <summary>The Redis database number; -1 for the configuration's default.</summary>
    public int Database { get; set; } = -1;

    /// <summary>Optional time to live per state name (for example <c>cache</c> entries): each write of such a state
    /// (re)starts its expiry. States not listed never expire.</summary>
    public Dictionary<string, TimeSpan> StateTimeToLive { get; set; } = new(StringComparer.Ordinal);
}
