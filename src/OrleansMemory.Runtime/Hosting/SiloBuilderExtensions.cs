using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansMemory.Configuration;
using OrleansMemory.Runtime;
using OrleansMemory.Storage;

namespace OrleansMemory.Hosting;

/// <summary>Configuration of a silo: options, storage providers, grain call filters, grain classes.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>Configures an options type of the silo (for example <see cref="GrainCollectionOptions"/> or
    /// <see cref="SiloMessagingOptions"/>).</summary>
    public static ISiloBuilder Configure<TOptions>(this ISiloBuilder builder, Action<TOptions> configure) where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Runs a single-silo cluster on this machine with its membership kept in memory.</summary>
    public static ISiloBuilder UseLocalhostClustering(this ISiloBuilder builder, string clusterId = "dev", string serviceId = "dev")
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = clusterId;
            o.ServiceId = serviceId;
        });
        return builder;
    }

    /// <summary>Registers a grain storage provider under <paramref name="name"/> (a keyed <see cref="IGrainStorage"/>,
    /// and a keyed <see cref="IGrainStorageCatalog"/> when the provider implements it).</summary>
    public static ISiloBuilder AddGrainStorage(this ISiloBuilder builder, string name, Func<IServiceProvider, string, IGrainStorage> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddKeyedSingleton(name, (sp, key) => factory(sp, (string)key!));
        builder.Services.AddKeyedSingleton(name, static (sp, key) => sp.GetRequiredKeyedService<IGrainStorage>(key) as IGrainStorageCatalog
            ?? throw new InvalidOperationException($"Grain storage '{key}' does not implement {nameof(IGrainStorageCatalog)}."));
        return builder;
    }

    /// <summary>Keeps grain state in memory under the provider name <paramref name="name"/>.</summary>
    public static ISiloBuilder AddMemoryGrainStorage(this ISiloBuilder builder, string name = PersistentStateAttribute.DefaultStorageName) =>
        builder.AddGrainStorage(name, static (sp, key) => new MemoryGrainStorage(sp.GetRequiredService<IGrainStorageSerializer>(), key));

    /// <summary>Keeps memory grain storage as the default provider.</summary>
    public static ISiloBuilder AddMemoryGrainStorageAsDefault(this ISiloBuilder builder) => builder.AddMemoryGrainStorage();

    /// <summary>Keeps grain state in JSON files under the provider name <paramref name="name"/>. The options are
    /// validated when the host starts (every failure reported at once).</summary>
    public static ISiloBuilder AddFileGrainStorage(this ISiloBuilder builder, string name, Action<FileGrainStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var optionsBuilder = builder.Services.AddOptions<FileGrainStorageOptions>(name);
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        optionsBuilder.ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FileGrainStorageOptions>, FileGrainStorageOptionsValidator>());
        return builder.AddGrainStorage(name, static (sp, key) => new FileGrainStorage(
            key,
            sp.GetRequiredService<IOptionsMonitor<FileGrainStorageOptions>>().Get(key),
            serializer: null,
            sp.GetRequiredService<ILogger<FileGrainStorage>>()));
    }

    /// <summary>Adds an incoming grain call filter: it sees every call (grain, method, arguments) and decides whether
    /// and how it proceeds by calling <see cref="IIncomingGrainCallContext.Invoke"/>.</summary>
    public static ISiloBuilder AddGrainCallFilter(this ISiloBuilder builder, IIncomingGrainCallFilter filter)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(filter);
        builder.Services.AddSingleton(filter);
        return builder;
    }

    /// <summary>Adds an incoming grain call filter created from dependency injection.</summary>
    public static ISiloBuilder AddGrainCallFilter<TFilter>(this ISiloBuilder builder) where TFilter : class, IIncomingGrainCallFilter
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IIncomingGrainCallFilter, TFilter>();
        return builder;
    }

    /// <summary>Adds an incoming grain call filter given as a delegate.</summary>
    public static ISiloBuilder AddGrainCallFilter(this ISiloBuilder builder, Func<IIncomingGrainCallContext, Task> filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return builder.AddGrainCallFilter(new DelegateGrainCallFilter(filter));
    }

    /// <summary>Makes the grain classes of an assembly known to the silo. Assemblies already loaded when the silo
    /// starts, and those the entry assembly references, are found without this.</summary>
    public static ISiloBuilder AddGrainAssembly(this ISiloBuilder builder, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(assembly);
        builder.Services.AddSingleton(new GrainAssembly(assembly));
        return builder;
    }

    private sealed class DelegateGrainCallFilter(Func<IIncomingGrainCallContext, Task> filter) : IIncomingGrainCallFilter
    {
        public Task Invoke(IIncomingGrainCallContext context) => filter(context);
    }
}
