using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansMemory.Configuration;
using OrleansMemory.Redis;

namespace OrleansMemory.Hosting;

/// <summary>Registers Redis grain storage.</summary>
public static class RedisSiloBuilderExtensions
{
    /// <summary>Keeps grain state in Redis under the provider name <paramref name="name"/>, with a health check named
    /// <c>storage-{name}</c>. The options are validated when the host starts (every failure at once).</summary>
    public static ISiloBuilder AddRedisGrainStorage(this ISiloBuilder builder, string name, Action<RedisGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<RedisGrainStorageOptions>(name).Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisGrainStorageOptions>, RedisGrainStorageOptionsValidator>());
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            "storage-" + name,
            sp => new Storage.GrainStorageHealthCheck(name, sp.GetRequiredKeyedService<IGrainStorage>(name)),
            failureStatus: null,
            tags: ["storage"]));
        return builder.AddGrainStorage(name, static (sp, key) => new RedisGrainStorage(
            key,
            sp.GetRequiredService<IOptionsMonitor<RedisGrainStorageOptions>>().Get(key),
            sp.GetService<IGrainStorageSerializer>(),
            sp.GetRequiredService<ILogger<RedisGrainStorage>>()));
    }
}
