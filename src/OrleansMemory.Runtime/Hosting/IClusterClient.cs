namespace OrleansMemory;

/// <summary>A connection to a cluster for processes that are not silos (agent hosts, tools). Grain references it makes
/// send each call straight to the grain's home silo (computed from the membership view, like the silos do); when a
/// silo dies, calls that were not sent yet, or are <c>[ReadOnly]</c>, are retried on the new home, and the others fail
/// with <see cref="SiloUnavailableException"/>.</summary>
public interface IClusterClient : IGrainFactory, IAsyncDisposable
{
    /// <summary>The client's services.</summary>
    IServiceProvider ServiceProvider { get; }

    /// <summary>Whether <see cref="ConnectAsync"/> has completed and the client was not closed.</summary>
    bool IsConnected { get; }

    /// <summary>Reads the membership view (table or gateways) and waits until at least one active silo is known.</summary>
    /// <exception cref="SiloUnavailableException">No active silo was found within the response timeout.</exception>
    Task ConnectAsync(CancellationToken cancellationToken = default);

    /// <summary>Closes every connection; calls made afterwards fail.</summary>
    Task CloseAsync(CancellationToken cancellationToken = default);
}
