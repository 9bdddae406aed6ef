using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansMemory.Hosting;

/// <summary>Configures a cluster client: how it finds silos (membership table or static gateways) and its options.</summary>
public interface IClientBuilder
{
    /// <summary>The client's services.</summary>
    IServiceCollection Services { get; }

    /// <summary>The configuration.</summary>
    IConfiguration Configuration { get; }
}
