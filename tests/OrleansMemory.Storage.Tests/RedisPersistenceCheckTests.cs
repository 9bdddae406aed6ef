using Microsoft.Extensions.Logging;
using OrleansMemory.Silo.Tests;

namespace OrleansMemory.Storage.Tests;

/// <summary>The startup check of what a Redis server keeps, against real redis-server processes: the shared test server
/// (no append-only file, as scripts/test-servers.sh starts it) and private ones with an append-only file.</summary>
[RequiresServer(TestServers.Redis)]
public sealed class RedisPersistenceCheckTests
{
    [StorageFact]
    public async Task A_server_without_an_append_only_file_is_reported_as_losing_writes()
    {
        var log = new ListLogger();
        await new RedisPersistenceCheck("shared", new RedisConnection(TestServers.RedisConfiguration), log).CheckAsync(CancellationToken.None);
        var entry = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("appendonly no", entry.Message);
        Assert.Contains("Redis storage shared", entry.Message);
    }
}

/// <summary>A private redis-server with an append-only file (redis-server must be installed, as .ci/run does).</summary>
public sealed class RedisAppendOnlyCheckTests
{
    [Fact]
    public async Task A_server_with_an_append_only_file_is_judged_by_its_flush_policy()
    {
        await using var redis = await PrivateRedis.TryCreateAsync() ?? throw new InvalidOperationException("redis-server is not installed; .ci/run installs it.");
        await using var connection = new RedisConnection(redis.ConnectionString);
        var multiplexer = await connection.GetAsync();

        // As PrivateRedis starts it: appendonly yes, appendfsync always.
        Assert.Equal(RedisPersistenceCheck.Persistence.EveryWrite, await RedisPersistenceCheck.ReadAsync(multiplexer));
        var log = new ListLogger();
        await new RedisPersistenceCheck("aof", connection, log).CheckAsync(CancellationToken.None);
        Assert.Equal(LogLevel.Information, Assert.Single(log.Entries).Level);

        await multiplexer.GetDatabase().ExecuteAsync("CONFIG", "SET", "appendfsync", "everysec");
        Assert.Equal(RedisPersistenceCheck.Persistence.LastSecondAtRisk, await RedisPersistenceCheck.ReadAsync(multiplexer));
        log.Entries.Clear();
        await new RedisPersistenceCheck("aof", connection, log).CheckAsync(CancellationToken.None);
        var warning = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("appendfsync is not always", warning.Message);
    }
}

/// <summary>Keeps what is logged, to read it back.</summary>
internal sealed class ListLogger : ILogger<RedisPersistenceCheck>
{
    public List<(LogLevel Level, string Message)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Add((logLevel, formatter(state, exception)));
}
