using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansMemory.AgentFramework;

namespace OrleansMemory.Hosting;

/// <summary>Registers the Agent Framework providers for a host that already uses <c>UseOrleansClient</c>.</summary>
public static class OrleansMemoryAgentServiceCollectionExtensions
{
    /// <summary>Adds <see cref="OrleansMemoryProvider"/> and <see cref="OrleansChatHistoryProvider"/> as singletons over the
    /// registered <see cref="IGrainFactory"/> (the cluster client), with validated options. One instance of each serves
    /// every agent and session: the scope lives in each session (<see cref="OrleansMemorySession.SetOrleansMemoryScope"/>).</summary>
    public static IServiceCollection AddOrleansMemory(
        this IServiceCollection services,
        Action<OrleansMemoryProviderOptions>? configure = null,
        Action<OrleansChatHistoryProviderOptions>? configureHistory = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptionsWithValidateOnStart<OrleansMemoryProviderOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        var history = services.AddOptionsWithValidateOnStart<OrleansChatHistoryProviderOptions>()
            .Validate(o => o.MaxMessages is >= 1 and <= 1000 && o.MaxTokens is null or >= 1,
                "OrleansChatHistoryProviderOptions: MaxMessages must be 1-1000 and MaxTokens, when set, 1 or more.");
        if (configureHistory is not null)
        {
            history.Configure(configureHistory);
        }

        services.AddSingleton<IValidateOptions<OrleansMemoryProviderOptions>, OrleansMemoryProviderOptionsValidator>();
        services.AddSingleton(sp => new OrleansMemoryProvider(
            sp.GetRequiredService<IGrainFactory>(),
            sp.GetRequiredService<IOptions<OrleansMemoryProviderOptions>>().Value,
            sp.GetService<ILogger<OrleansMemoryProvider>>()));
        services.AddSingleton(sp => new OrleansChatHistoryProvider(
            sp.GetRequiredService<IGrainFactory>(),
            sp.GetRequiredService<IOptions<OrleansChatHistoryProviderOptions>>().Value,
            sp.GetService<ILogger<OrleansChatHistoryProvider>>()));
        return services;
    }
}
