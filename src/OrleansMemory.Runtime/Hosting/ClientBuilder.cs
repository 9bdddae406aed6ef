using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansMemory.Runtime;

namespace OrleansMemory.Hosting;

/// <summary>Builds a standalone <see cref="IClusterClient"/> (outside a .NET host):
/// <c>await using var client = new ClientBuilder().UseStaticGateways("127.0.0.1:11111").Build(); await client.ConnectAsync();</c>.
/// In a host, use <see cref="ClusterClientHostingExtensions.UseClusterClient"/> instead.</summary>
public sealed class ClientBuilder : IClientBuilder
{
    private bool _built;

    /// <summary>Creates a builder with empty configuration and console-free logging.</summary>
    public ClientBuilder()
    {
        Configuration = new ConfigurationBuilder().Build();
        Services = new ServiceCollection();
        ClusterClientHostingExtensions.AddClusterClientCore(Services);
    }

    /// <inheritdoc />
    public IServiceCollection Services { get; }

    /// <inheritdoc />
    public IConfiguration Configuration { get; }

    /// <summary>Builds the client; call <see cref="IClusterClient.ConnectAsync"/> before the first call.</summary>
    public IClusterClient Build()
    {
        if (_built)
        {
            throw new InvalidOperationException("Build can be called only once.");
        }

        _built = true;
        Services.TryAddSingleton(Configuration);
        var provider = Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var client = provider.GetRequiredService<ClusterClient>();
        client.OwnedProvider = provider;
        return client;
    }
}
