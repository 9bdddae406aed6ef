using OrleansMemory.Storage;
using StackExchange.Redis;

namespace OrleansMemory.Hosting;

/// <summary>The storage type redis for <c>AddGrainStorageFromConfiguration</c>.</summary>
public static class RedisGrainStorageBackend
{
    /// <summary>Redis through Orleans' Redis provider, with the listing index.</summary>
    public static IGrainStorageBackend Redis { get; } = new GrainStorageBackend("redis",
        static s => BuiltInGrainStorageBackends.RequiredConnectionString(s, "ConnectionString", s.ConnectionString ?? string.Empty, Parse),
        static (b, n, s) => b.AddIndexedRedisGrainStorage(n, o =>
        {
            o.ConnectionString = s.ConnectionString ?? string.Empty;
            o.KeyPrefix = s.KeyPrefix;
            o.ServiceId = s.ServiceId;
        }));

    /// <summary>Makes the storage type redis available to <c>AddGrainStorageFromConfiguration</c>; call it first.</summary>
    public static ISiloBuilder AddRedisGrainStorageBackend(this ISiloBuilder builder) => builder.AddGrainStorageBackend(Redis);

    private static void Parse(string connectionString)
    {
        try
        {
            _ = ConfigurationOptions.Parse(connectionString);
        }
        catch (RedisException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
    }
}
