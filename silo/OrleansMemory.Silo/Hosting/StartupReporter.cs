using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using OrleansMemory.Silo.Auth;
using OrleansMemory.Silo.Configuration;

namespace OrleansMemory.Silo.Hosting;

/// <summary>Says where everything is once the silo listens, warns loudly when API keys are off, and reports shutdown.</summary>
internal sealed partial class StartupReporter(
    IHostApplicationLifetime lifetime,
    IServer server,
    IOptions<SiloOptions> options,
    StorageTopology storage,
    ApiKeyStore keys,
    ILogger<StartupReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Report);
        lifetime.ApplicationStopping.Register(() => LogInformationStopping(logger, options.Value.ShutdownTimeout));
        lifetime.ApplicationStopped.Register(() => LogInformationStopped(logger));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The base address the silo listens on (first one), for humans.</summary>
    internal static string? BaseAddress(IServer server) =>
        server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()?.Replace("[::]", "localhost", StringComparison.Ordinal);

    private void Report()
    {
        var o = options.Value;
        var url = BaseAddress(server) ?? $"http://{o.Http.ListenAddress}:{o.Http.Port}";
        LogInformationStarted(logger, o.EffectiveSiloName, o.ClusterId, o.Clustering.Kind);
        LogInformationEndpoints(logger, url);
        foreach (var provider in storage.Providers)
        {
            LogInformationStorage(logger, provider.Name, provider.Type, provider.Location);
        }

        foreach (var (grainType, provider) in storage.GrainTypeRoutes)
        {
            LogInformationRoute(logger, grainType, provider);
        }

        var e = o.Embeddings;
        LogInformationEmbeddings(logger, e.Provider.Trim().ToLowerInvariant() switch
        {
            "local" => $"local {Embeddings.Local.MiniLmModel.ModelId}, {Embeddings.Local.MiniLmModel.Dimensions} dimensions, " +
                (Embeddings.Local.MiniLmModel.IsLoaded ? "loaded" : "loads at the first text request") + " (about 130-210 MB)",
            "openai" => $"{e.Model} at {e.Endpoint ?? "https://api.openai.com/v1"}",
            _ => "none: callers send embeddings; text-only requests are refused (OrleansMemory:Embeddings:Provider)",
        }, o.ConflictClassifier.Provider.Trim().Equals("none", StringComparison.OrdinalIgnoreCase) ? "rules" : $"LLM {o.ConflictClassifier.Model} ({o.ConflictClassifier.Mode}), rules as fallback");
        if (keys.Enabled)
        {
            LogInformationAuth(logger, o.Auth.ApiKeys.Count);
        }
        else
        {
            LogWarningAuthOff(logger, o.Auth.DevelopmentTenant, o.Http.ListenAddress);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OrleansMemory silo {SiloName} started (cluster {ClusterId}, {Clustering} clustering)")]
    private static partial void LogInformationStarted(ILogger logger, string siloName, string clusterId, string clustering);

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP API {Url}/v1 | OpenAPI {Url}/openapi/v1.json | dashboards {Url}/dashboard and {Url}/orleans-dashboard/ | health {Url}/health/ready | metrics {Url}/metrics")]
    private static partial void LogInformationEndpoints(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage provider {Provider}: {Type} at {Location}")]
    private static partial void LogInformationStorage(ILogger logger, string provider, string type, string location);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grain type {GrainType} uses storage provider {Provider}")]
    private static partial void LogInformationRoute(ILogger logger, string grainType, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embeddings: {Embeddings} | conflict classifier: {Classifier}")]
    private static partial void LogInformationEmbeddings(ILogger logger, string embeddings, string classifier);

    [LoggerMessage(Level = LogLevel.Information, Message = "API keys required ({KeyCount} configured)")]
    private static partial void LogInformationAuth(ILogger logger, int keyCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "AUTHENTICATION IS OFF: every request acts as tenant '{Tenant}' with every scope (read, write, admin, operator). " +
        "This is the default only because the silo listens on loopback ({ListenAddress}); configure OrleansMemory:Auth:ApiKeys before exposing it.")]
    private static partial void LogWarningAuthOff(ILogger logger, string tenant, string listenAddress);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: deactivating grains and flushing state (at most {Timeout})")]
    private static partial void LogInformationStopping(ILogger logger, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo stopped")]
    private static partial void LogInformationStopped(ILogger logger);
}
