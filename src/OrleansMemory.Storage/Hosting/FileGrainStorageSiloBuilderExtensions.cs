using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;
using OrleansMemory.Storage;

namespace OrleansMemory.Hosting;

/// <summary>Registers <see cref="FileGrainStorage"/> on a silo.</summary>
public static class FileGrainStorageSiloBuilderExtensions
{
    /// <summary>Registers the file provider <paramref name="name"/>: a keyed <see cref="IGrainStorage"/> and
    /// <see cref="IGrainStorageCatalog"/>, options validated at startup, and <c>UseMemoryStateJson</c> (the file layout
    /// is System.Text.Json with OrleansMemory's conventions). A serializer registered keyed by <paramref name="name"/> wins.</summary>
    public static ISiloBuilder AddFileGrainStorage(this ISiloBuilder builder, string name, Action<FileGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        builder.UseMemoryStateJson();
        builder.Services.AddOptions<FileGrainStorageOptions>(name).Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FileGrainStorageOptions>, FileGrainStorageOptionsValidator>());
        builder.Services.AddGrainStorage(name, static (sp, key) => new FileGrainStorage(
            key,
            sp.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get(key),
            sp.GetKeyedService<IGrainStorageSerializer>(key) ?? sp.GetRequiredService<IGrainStorageSerializer>(),
            sp.GetRequiredService<IActivatorProvider>(),
            sp.GetRequiredService<ILogger<FileGrainStorage>>()));
        builder.Services.AddKeyedSingleton<IGrainStorageCatalog>(name, static (sp, key) => IGrainStorageDecorator.Unwrap<FileGrainStorage>(sp.GetRequiredKeyedService<IGrainStorage>(key)));
        return builder;
    }
}
