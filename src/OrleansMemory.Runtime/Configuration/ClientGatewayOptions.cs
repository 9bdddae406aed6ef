namespace OrleansMemory.Configuration;

/// <summary>How a cluster client finds silos.</summary>
public sealed class ClientGatewayOptions
{
    /// <summary>Silo endpoints (<c>host:port</c>) to ask for the cluster view when no membership table is configured.</summary>
    public List<string> StaticGateways { get; set; } = [];

    /// <summary>How often the client refreshes its view of the active silos.</summary>
    public TimeSpan RefreshPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A call that has not completed after this long fails with <see cref="TimeoutException"/>.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
