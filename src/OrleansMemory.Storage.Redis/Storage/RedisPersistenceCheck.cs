using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace OrleansMemory.Storage;

/// <summary>Says at startup whether the Redis server behind a storage provider keeps what it acknowledges. Redis answers
/// a write once it is in memory; whether it survives a Redis crash or a power loss is the server's persistence setting:
/// without an append-only file (Redis' default) every write since the last snapshot is lost, with
/// <c>appendfsync everysec</c> up to a second of them, with <c>appendfsync always</c> none. The silo starts either way
/// (a development server need not be durable); an operator reads the warning. The check never fails the silo: a server
/// that cannot be asked (down, or <c>CONFIG</c> renamed away) is logged and skipped.</summary>
internal sealed partial class RedisPersistenceCheck(string name, RedisConnection connection, ILogger<RedisPersistenceCheck> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>What the server keeps, from <c>INFO persistence</c> and <c>CONFIG GET appendfsync</c>.</summary>
    internal enum Persistence
    {
        /// <summary>No append-only file: writes since the last snapshot are lost.</summary>
        SnapshotsOnly,

        /// <summary>Append-only file flushed once a second (<c>everysec</c>) or when the OS decides (<c>no</c>).</summary>
        LastSecondAtRisk,

        /// <summary>Append-only file flushed before each write is answered.</summary>
        EveryWrite,

        /// <summary>Append-only file on, flush policy not readable.</summary>
        AppendOnlyPolicyUnknown,
    }

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(RedisPersistenceCheck) + "-" + name, ServiceLifecycleStage.ApplicationServices, CheckAsync);
    }

    /// <summary>Reads the server's persistence and logs what it means for acknowledged writes.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        Persistence persistence;
        try
        {
            persistence = await ReadAsync(await connection.GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogInformationUnchecked(logger, name, ex.GetType().Name);
            return;
        }

        switch (persistence)
        {
            case Persistence.SnapshotsOnly:
                LogWarningSnapshotsOnly(logger, name);
                break;
            case Persistence.LastSecondAtRisk:
                LogWarningLastSecond(logger, name);
                break;
            case Persistence.AppendOnlyPolicyUnknown:
                LogInformationPolicyUnknown(logger, name);
                break;
            default:
                LogInformationDurable(logger, name);
                break;
        }
    }

    /// <summary>What the server keeps: <c>aof_enabled</c> from <c>INFO persistence</c> (no admin rights needed), then
    /// <c>appendfsync</c> from <c>CONFIG GET</c> when the server allows it.</summary>
    internal static async Task<Persistence> ReadAsync(IConnectionMultiplexer multiplexer)
    {
        var database = multiplexer.GetDatabase();
        var info = (string?)await database.ExecuteAsync("INFO", "persistence").ConfigureAwait(false) ?? string.Empty;
        if (!info.Split('\n').Any(line => line.TrimEnd('\r') == "aof_enabled:1"))
        {
            return Persistence.SnapshotsOnly;
        }

        try
        {
            var reply = await database.ExecuteAsync("CONFIG", "GET", "appendfsync").ConfigureAwait(false);
            var values = (RedisResult[]?)reply ?? [];
            return values.Length == 2 && string.Equals((string?)values[1], "always", StringComparison.OrdinalIgnoreCase)
                ? Persistence.EveryWrite : values.Length == 2 ? Persistence.LastSecondAtRisk : Persistence.AppendOnlyPolicyUnknown;
        }
        catch (Exception ex) when (ex is RedisServerException or RedisCommandException)
        {
            return Persistence.AppendOnlyPolicyUnknown; // CONFIG renamed or forbidden (managed Redis)
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis storage {Provider}: the server keeps no append-only file (appendonly no), so every acknowledged write since its last snapshot is lost if Redis crashes or the machine loses power. Run it with appendonly yes and appendfsync always (docs/storage.md).")]
    private static partial void LogWarningSnapshotsOnly(ILogger logger, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis storage {Provider}: the server does not flush its append-only file before answering each write (appendfsync is not always), so the last second or more of acknowledged writes is lost if the machine loses power. Set appendfsync always for every write to survive (docs/storage.md).")]
    private static partial void LogWarningLastSecond(ILogger logger, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis storage {Provider}: the server keeps an append-only file; its flush policy could not be read (CONFIG GET is not allowed). Acknowledged writes survive a power loss only with appendfsync always.")]
    private static partial void LogInformationPolicyUnknown(ILogger logger, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis storage {Provider}: the server flushes every write to its append-only file before answering (appendfsync always).")]
    private static partial void LogInformationDurable(ILogger logger, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis storage {Provider}: the server's persistence could not be read ({Error}); acknowledged writes are as durable as its settings make them.")]
    private static partial void LogInformationUnchecked(ILogger logger, string provider, string error);
}
