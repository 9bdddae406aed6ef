using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

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

/// <summary>Private redis-server processes with an append-only file (redis-server must be installed, as .ci/run does).</summary>
public sealed class RedisAppendOnlyCheckTests
{
    [Theory]
    [InlineData("always", "EveryWrite", LogLevel.Information)]
    [InlineData("everysec", "LastSecondAtRisk", LogLevel.Warning)]
    public async Task A_server_with_an_append_only_file_is_judged_by_its_flush_policy(string appendfsync, string expected, LogLevel level)
    {
        var directory = Directory.CreateTempSubdirectory("omem-redis-aof-");
        var port = FreePort();
        using var server = Process.Start(new ProcessStartInfo("redis-server",
            ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
                "--appendfsync", appendfsync, "--dir", directory.FullName]) { RedirectStandardOutput = true })!;
        try
        {
            var address = $"127.0.0.1:{port},connectTimeout=1000,abortConnect=false";
            await using var connection = new RedisConnection(address);
            var multiplexer = await connection.GetAsync();
            for (var i = 0; i < 100 && !multiplexer.IsConnected; i++)
            {
                await Task.Delay(50);
            }

            Assert.Equal(expected, (await RedisPersistenceCheck.ReadAsync(multiplexer)).ToString());
            var log = new ListLogger();
            await new RedisPersistenceCheck("aof", connection, log).CheckAsync(CancellationToken.None);
            Assert.Equal(level, Assert.Single(log.Entries).Level);
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync();
            directory.Delete(recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
