using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace OrleansMemory.Grains;

/// <summary>Where a grain records unfinished work (<see cref="IPendingWorkGrain"/>), and the silo participant that wakes
/// the recorded grains when the silo starts.</summary>
public static partial class PendingWork
{
    /// <summary>How many shards the record has (keys 0..Shards-1), so that no single grain serializes every erasure.</summary>
    public const int Shards = 8;

    /// <summary>How often a shard wakes its grains while it holds any.</summary>
    public static readonly TimeSpan PokePeriod = TimeSpan.FromSeconds(10);

    /// <summary>The shard of a grain.</summary>
    public static IPendingWorkGrain ShardOf(IGrainFactory factory, GrainId grain)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var hash = BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(grain.ToString())), 0);
        return factory.GetGrain<IPendingWorkGrain>(ShardKey((int)(hash % Shards)));
    }

    /// <summary>The key of shard <paramref name="shard"/>.</summary>
    public static string ShardKey(int shard) => "shard-" + shard.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Wakes every shard once the silo is active (each then wakes its grains).</summary>
    internal sealed partial class StartupResume(IGrainFactory factory, ILogger<StartupResume> logger) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(PendingWork), ServiceLifecycleStage.Active, OnStart, static _ => Task.CompletedTask);

        private Task OnStart(CancellationToken cancellationToken)
        {
            _ = ResumeAsync(); // in the background: a silo's start does not wait on storage for this
            return Task.CompletedTask;
        }

        private async Task ResumeAsync()
        {
            for (var shard = 0; shard < Shards; shard++)
            {
                try
                {
                    await factory.GetGrain<IPendingWorkGrain>(ShardKey(shard)).ResumeAllAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogWarningResumeFailed(logger, shard, ex.GetType().Name);
                }
            }
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "Unfinished work of shard {Shard} could not be resumed at start ({ExceptionType}); it resumes on its grains' next call")]
        private static partial void LogWarningResumeFailed(ILogger logger, int shard, string exceptionType);
    }
}
