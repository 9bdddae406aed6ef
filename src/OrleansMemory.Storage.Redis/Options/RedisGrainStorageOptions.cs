namespace OrleansMemory.Storage;

/// <summary>Options of the Redis provider (<c>AddIndexedRedisGrainStorage</c>): Orleans' Redis provider behind
/// <see cref="IndexedRedisGrainStorage"/>.</summary>
public sealed class IndexedRedisGrainStorageOptions
{
    /// <summary>The StackExchange.Redis configuration string, for example <c>127.0.0.1:6379</c>.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Put before every key; empty (the default) keeps Orleans' layout <c>{serviceId}/state/{grainId}/{stateName}</c>.</summary>
    public string KeyPrefix { get; set; } = string.Empty;

    /// <summary>The service id keys start with; null for the silo's <c>ClusterOptions.ServiceId</c>.</summary>
    public string? ServiceId { get; set; }

    /// <summary>The silo lifecycle stage at which Orleans' provider connects.</summary>
    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;
}
