using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansMemory.Embeddings.Local;

namespace OrleansMemory.Hosting;

/// <summary>Loads the local model while the host starts (<see cref="OrleansMemory.Embeddings.EmbeddingOptions.LoadAtStartup"/>).</summary>
internal sealed partial class LocalModelLoader(ILogger<LocalModelLoader> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (MiniLmModel.IsLoaded)
        {
            return;
        }

        var start = Stopwatch.GetTimestamp();
        await Task.Run(MiniLmModel.EnsureLoaded, cancellationToken).ConfigureAwait(false);
        LogInformationLoaded(logger, MiniLmModel.ModelId, Stopwatch.GetElapsedTime(start).TotalMilliseconds, Environment.WorkingSet / (1024 * 1024));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedding model {Model} loaded in {Milliseconds:F0} ms (process working set now {WorkingSetMb} MB)")]
    private static partial void LogInformationLoaded(ILogger logger, string model, double milliseconds, long workingSetMb);
}
