using Orleans.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansMemory.Grains;
using OrleansMemory.Grains.Conversations;

namespace OrleansMemory.Hosting;

/// <summary>Registers the memory grains in a silo.</summary>
public static class MemoryGrainsSiloBuilderExtensions
{
    /// <summary>Adds the memory grains (conversation, agent, user, cache, system state, conversation directory), their
    /// options (validated at startup), the default rule-based conflict classifier and the memory extractors (<c>rules</c>;
    /// <c>llm</c> through a registered <see cref="Microsoft.Extensions.AI.IChatClient"/>). The grains keep their records in
    /// the storage provider named by <see cref="MemoryGrainOptions.StorageProviderName"/> (<c>Default</c>).</summary>
    public static ISiloBuilder AddMemoryGrains(this ISiloBuilder builder, Action<MemoryGrainOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddMemoryGrains(configure);
        builder.Services.AddSerializer(serializer => serializer.AddAssembly(typeof(ConversationGrain).Assembly));
        return builder;
    }

    /// <summary>Adds the services of the memory grains; see <see cref="AddMemoryGrains(ISiloBuilder, Action{MemoryGrainOptions}?)"/>.</summary>
    public static IServiceCollection AddMemoryGrains(this IServiceCollection services, Action<MemoryGrainOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptionsWithValidateOnStart<MemoryGrainOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MemoryGrainOptions>, MemoryGrainOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MemoryGrainOptions>, FormationDefaultValidator>());
        services.TryAddSingleton<IMemoryClassifier, RuleBasedMemoryClassifier>();
        services.TryAddSingleton<FormationLimiter>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, PendingWork.StartupResume>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMemoryExtractor, RuleBasedMemoryExtractor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMemoryExtractor, ChatClientMemoryExtractor>(
            sp => new ChatClientMemoryExtractor(sp.GetService<Microsoft.Extensions.AI.IChatClient>())));
        return services;
    }

    /// <summary>Uses an LLM, through the registered <see cref="Microsoft.Extensions.AI.IChatClient"/>, to classify memory
    /// conflicts, either instead of the rules or as their backstop; the rules remain the fallback when the LLM fails.</summary>
    public static ISiloBuilder UseChatClientMemoryClassifier(this ISiloBuilder builder, ChatClientClassifierMode mode = ChatClientClassifierMode.Backstop)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<IMemoryClassifier>();
        builder.Services.AddSingleton<IMemoryClassifier>(sp => new ChatClientMemoryClassifier(
            sp.GetRequiredService<Microsoft.Extensions.AI.IChatClient>(), mode, sp.GetRequiredService<ILogger<ChatClientMemoryClassifier>>()));
        return builder;
    }
}
