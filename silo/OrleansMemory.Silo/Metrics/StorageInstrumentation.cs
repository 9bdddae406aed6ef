using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansMemory.Silo.Hosting;

namespace OrleansMemory.Silo.Metrics;

/// <summary>Puts <see cref="InstrumentedGrainStorage"/> in place of each registered provider and
/// <see cref="CountingGrainStorageSerializer"/> in place of the silo's storage serializer. Call after the providers are registered.</summary>
internal static class StorageInstrumentation
{
    public static void Instrument(IServiceCollection services, StorageTopology topology)
    {
        foreach (var provider in topology.Providers)
        {
            var descriptor = services.LastOrDefault(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, provider.Name))
                ?? throw new InvalidOperationException($"No grain storage is registered under the name '{provider.Name}'.");
            services.Remove(descriptor);
            services.Add(ServiceDescriptor.KeyedSingleton<IGrainStorage>(provider.Name, (sp, key) =>
                new InstrumentedGrainStorage(provider.Name, provider.Type, Create(descriptor, sp, key), sp.GetRequiredService<MemoryMetrics>())));
        }

        var serializer = services.LastOrDefault(d => d.ServiceType == typeof(IGrainStorageSerializer) && !d.IsKeyedService);
        if (serializer is not null)
        {
            services.Remove(serializer);
            services.Add(ServiceDescriptor.Singleton<IGrainStorageSerializer>(sp => new CountingGrainStorageSerializer(Create(serializer, sp))));
        }

        services.TryAddSingleton<MemoryMetrics>();
    }

    private static IGrainStorage Create(ServiceDescriptor d, IServiceProvider sp, object? key) =>
        d.KeyedImplementationFactory is { } factory ? (IGrainStorage)factory(sp, key)
        : d.KeyedImplementationInstance is IGrainStorage instance ? instance
        : (IGrainStorage)ActivatorUtilities.CreateInstance(sp, d.KeyedImplementationType!);

    private static IGrainStorageSerializer Create(ServiceDescriptor d, IServiceProvider sp) =>
        d.ImplementationFactory is { } factory ? (IGrainStorageSerializer)factory(sp)
        : d.ImplementationInstance is IGrainStorageSerializer instance ? instance
        : (IGrainStorageSerializer)ActivatorUtilities.CreateInstance(sp, d.ImplementationType!);
}
