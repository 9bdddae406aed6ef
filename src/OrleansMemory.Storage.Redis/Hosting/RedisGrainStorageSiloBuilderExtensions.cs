using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using OrleansMemory.Storage;
using StackExchange.Redis;

namespace OrleansMemory.Hosting;

/// <summary>Registers Redis grain storage: Orleans' Redis provider (<c>AddRedisGrainStorage</c>) behind
/// <see cref="IndexedRedisGrainStorage"/>, with a catalog and a startup check that logs whether the server keeps what
/// it acknowledges (its append-only file and flush policy).</summary>
public static class RedisGrainStorageSiloBuilderExtensions
{
    /// <summary>The name under which Orleans' own Redis provider behind the provider <paramref name="name"/> is registered.</summary>
    public static string InnerProviderName(string name) => name + ".redis";

    /// <summary>Registers Redis grain storage <paramref name="name"/>: a keyed <see cref="IGrainStorage"/> and
    /// <see cref="IGrainStorageCatalog"/>. State lives where Orleans puts it, <c>{serviceId}/state/{grainId}/{stateName}</c>
    /// (after <see cref="IndexedRedisGrainStorageOptions.KeyPrefix"/>); cleared state is deleted.</summary>
    public static ISiloBuilder AddIndexedRedisGrainStorage(this ISiloBuilder builder, string name, Action<IndexedRedisGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        builder.UseMemoryStateJson();
        var inner = InnerProviderName(name);
        builder.Services.AddOptions<IndexedRedisGrainStorageOptions>(name).Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString), $"Storage '{name}': ConnectionString must be set.")
            .ValidateOnStart();
        builder.Services.AddKeyedSingleton(name, (sp, _) => new RedisConnection(Options(sp, name).ConnectionString));
        builder.Services.AddKeyedSingleton(name, (sp, _) => new RedisLayout(Options(sp, name).KeyPrefix,
            Options(sp, name).ServiceId ?? sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
        builder.Services.AddRedisGrainStorage(inner, ob => ob.Configure<IServiceProvider>((o, sp) =>
        {
            var options = Options(sp, name);
            var connection = sp.GetRequiredKeyedService<RedisConnection>(name);
            var layout = sp.GetRequiredKeyedService<RedisLayout>(name);
            o.ConfigurationOptions = ConfigurationOptions.Parse(options.ConnectionString);
            o.CreateMultiplexer = async _ => (await connection.GetAsync().ConfigureAwait(false), true);
            o.GetStorageKey = (state, id) => layout.StateKey(id, state);
            o.InitStage = options.InitStage;
            o.DeleteStateOnClear = true;
            o.GrainStorageSerializer = new RawPayloadSerializer(sp.GetKeyedService<IGrainStorageSerializer>(name) ?? sp.GetRequiredService<IGrainStorageSerializer>());
        }));
        builder.Services.AddGrainStorage(name, (sp, key) => new IndexedRedisGrainStorage(
            key, sp.GetRequiredKeyedService<IGrainStorage>(inner), sp.GetRequiredKeyedService<RedisConnection>(key), sp.GetRequiredKeyedService<RedisLayout>(key)));
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => new RedisPersistenceCheck(
            name, sp.GetRequiredKeyedService<RedisConnection>(name), sp.GetRequiredService<ILogger<RedisPersistenceCheck>>()));
        builder.Services.AddKeyedSingleton<IGrainStorageCatalog>(name, (sp, key) =>
            new RedisGrainStorageCatalog(IGrainStorageDecorator.Unwrap<IndexedRedisGrainStorage>(sp.GetRequiredKeyedService<IGrainStorage>(key))));
        return builder;
    }

    private static IndexedRedisGrainStorageOptions Options(IServiceProvider services, string name) =>
        services.GetRequiredService<IOptionsMonitor<IndexedRedisGrainStorageOptions>>().Get(name);
}
