using Microsoft.Extensions.Hosting;

namespace OrleansMemory.Runtime;

/// <summary>The hosted service that starts the grain runtime with the host and deactivates every grain when the host stops.</summary>
internal sealed class Silo(GrainRuntime runtime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        runtime.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => runtime.StopAsync(cancellationToken);
}
