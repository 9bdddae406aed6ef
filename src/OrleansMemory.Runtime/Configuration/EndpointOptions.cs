namespace OrleansMemory.Configuration;

/// <summary>Where a silo listens for other silos and clients (a Kestrel connection handler on its own port).</summary>
public sealed class EndpointOptions
{
    /// <summary>The address the silo listens on and advertises in the membership table. Loopback (<c>127.0.0.1</c>)
    /// by default; any other address requires <see cref="ClusterTransportOptions.SharedSecret"/>.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The cluster port. 0 picks a free port when the silo starts (its address in the table carries it).</summary>
    public int Port { get; set; }
}
