using Microsoft.Extensions.DependencyInjection;
using OrleansMemory.Client;

namespace OrleansMemory.Hosting;

/// <summary>Registers <see cref="MemoryStore"/>.</summary>
public static class MemoryStoreServiceCollectionExtensions
{
    /// <summary>Adds <see cref="MemoryStore"/> as a singleton over the registered <see cref="IGrainFactory"/>.</summary>
    public static IServiceCollection AddMemoryStore(this IServiceCollection services, Action<MemoryStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<MemoryStoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => !string.IsNullOrWhiteSpace(o.DirectoryKey) && o.MaxConversationsInStats > 0,
            "MemoryStoreOptions: DirectoryKey must be set and MaxConversationsInStats positive.");
        services.AddSingleton<MemoryStore>();
        return services;
    }
}
