using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OrleansMemory.Storage;

namespace OrleansMemory.Hosting;

/// <summary>Registers grain storage chosen by configuration, and third-party storage backends.</summary>
public static class StorageConfigurationSiloBuilderExtensions
{
    /// <summary>Registers the provider <paramref name="name"/> built from <paramref name="configuration"/> (default: the
    /// silo's): the section <c>OrleansMemory:Storage</c> or the <c>CONNECTOME_STORAGE_*</c> aliases (type file | sqlite |
    /// postgres | redis | memory | a type added with <see cref="AddGrainStorageBackend"/>), plus <c>UseMemoryStateJson</c>
    /// and a health check <c>storage-{name}</c> doing a real round trip. A value that does not parse throws here;
    /// settings that do not suit the backend stop the host at start. Both messages name the setting.</summary>
    /// <exception cref="GrainStorageConfigurationException">A value does not parse.</exception>
    public static ISiloBuilder AddGrainStorageFromConfiguration(this ISiloBuilder builder, string name, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.AddGrainStorageFromSettings(name, GrainStorageConfiguration.Read(configuration ?? builder.Configuration));
    }

    /// <summary>Registers the provider <paramref name="name"/> from settings already read (from configuration or a
    /// provider URI, <see cref="GrainStorageUri"/>), as <see cref="AddGrainStorageFromConfiguration"/> does.</summary>
    public static ISiloBuilder AddGrainStorageFromSettings(this ISiloBuilder builder, string name, GrainStorageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(settings);
        var backends = BuiltInGrainStorageBackends.All
            .Concat(builder.Services.Where(d => d.ServiceType == typeof(IGrainStorageBackend) && d.ImplementationInstance is not null)
                .Select(d => (IGrainStorageBackend)d.ImplementationInstance!))
            .GroupBy(b => b.Type, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Last(), StringComparer.OrdinalIgnoreCase);
        var backend = backends.GetValueOrDefault(settings.Type);
        builder.UseMemoryStateJson();
        builder.Services.AddOptions<ConfiguredGrainStorageOptions>(name).Configure(o =>
        {
            o.Settings = settings;
            o.Backend = backend;
            o.KnownTypes = [.. backends.Keys.Order(StringComparer.Ordinal)];
        }).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConfiguredGrainStorageOptions>, ConfiguredGrainStorageOptionsValidator>());
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            "storage-" + name,
            sp => new GrainStorageHealthCheck(name, sp.GetRequiredKeyedService<IGrainStorage>(name)),
            failureStatus: null,
            tags: ["storage"]));
        if (backend is not null && !backend.Validate(settings).Any())
        {
            backend.Register(builder, name, settings);
        }

        return builder;
    }

    /// <summary>Makes a third-party storage type available to <see cref="AddGrainStorageFromConfiguration"/> by name;
    /// call it first.</summary>
    public static ISiloBuilder AddGrainStorageBackend(this ISiloBuilder builder, IGrainStorageBackend backend)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(backend);
        builder.Services.AddSingleton(backend);
        return builder;
    }
}
