using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OrleansMemory.Configuration;
using OrleansMemory.Storage;

namespace OrleansMemory.Hosting;

/// <summary>Registers grain storage chosen by configuration, and third-party storage backends.</summary>
public static class StorageConfigurationSiloBuilderExtensions
{
    /// <summary>Registers the provider <paramref name="name"/> built from <paramref name="configuration"/>: the section
    /// <c>OrleansMemory:Storage</c> or the <c>CONNECTOME_STORAGE_*</c> aliases (type file | sqlite | postgres | redis |
    /// memory | a registered type), with a health check <c>storage-{name}</c>. A value that does not parse throws here,
    /// and settings that do not suit the backend stop the host at start; both messages name the setting.</summary>
    /// <exception cref="GrainStorageConfigurationException">A value does not parse.</exception>
    public static ISiloBuilder AddGrainStorageFromConfiguration(this ISiloBuilder builder, string name, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var settings = GrainStorageConfiguration.Read(configuration ?? builder.Configuration);
        builder.Services.TryAddSingleton(sp => new GrainStorageFactory(sp.GetServices<IGrainStorageBackend>()));
        builder.Services.AddOptions<ConfiguredGrainStorageOptions>(name).Configure(o => o.Settings = settings).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConfiguredGrainStorageOptions>, ConfiguredGrainStorageOptionsValidator>());
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            "storage-" + name,
            sp => new GrainStorageHealthCheck(name, sp.GetRequiredKeyedService<IGrainStorage>(name)),
            failureStatus: null,
            tags: ["storage"]));
        return builder.AddGrainStorage(name, static (sp, key) => sp.GetRequiredService<GrainStorageFactory>().Create(
            key, sp.GetRequiredService<IOptionsMonitor<ConfiguredGrainStorageOptions>>().Get(key).Settings, sp));
    }

    /// <summary>Makes a third-party storage type available to <see cref="AddGrainStorageFromConfiguration"/> by name.</summary>
    public static ISiloBuilder AddGrainStorageBackend(this ISiloBuilder builder, IGrainStorageBackend backend)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(backend);
        builder.Services.AddSingleton(backend);
        return builder;
    }
}
