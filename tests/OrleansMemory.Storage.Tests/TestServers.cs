namespace OrleansMemory.Storage.Tests;

/// <summary>Addresses of the real servers the tests use (scripts/test-servers.sh). A missing server fails the tests
/// when CI is set and skips them, with the reason, otherwise.</summary>
public static class TestServers
{
    public const string Postgres = "ORLEANSMEMORY_TEST_POSTGRES";
    public const string Redis = "ORLEANSMEMORY_TEST_REDIS";

    /// <summary>A fresh suffix per test run, so runs against the same servers do not collide.</summary>
    public static readonly string RunId = "r" + Guid.NewGuid().ToString("N")[..12];

    public static bool IsCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>Why tests needing <paramref name="variable"/> are skipped; null when they run (CI, or the server answers).</summary>
    public static string? SkipReason(string variable)
    {
        if (IsCi)
        {
            return null;
        }

        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return $"{variable} is not set and CI is not set: start the servers with eval \"$(scripts/test-servers.sh)\" to run this test.";
        }

        return Reachable(value) ? null : $"{variable}={value} does not answer and CI is not set: start the servers with scripts/test-servers.sh.";
    }

    private static bool Reachable(string address)
    {
        // "host:port" (Redis) or an Npgsql connection string.
        string host = "127.0.0.1";
        var port = 5432;
        if (address.Contains('=', StringComparison.Ordinal))
        {
            var builder = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = address };
            host = builder.TryGetValue("Host", out var h) ? h.ToString()!.Split(',')[0] : host;
            port = builder.TryGetValue("Port", out var p) ? Convert.ToInt32(p, System.Globalization.CultureInfo.InvariantCulture) : port;
        }
        else
        {
            var parts = address.Split(',')[0].Split(':');
            host = parts[0];
            port = parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 6379;
        }

        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            return client.ConnectAsync(host, port).Wait(TimeSpan.FromSeconds(1)) && client.Connected;
        }
        catch (AggregateException)
        {
            return false;
        }
    }

    /// <summary>The PostgreSQL connection string with timeouts that tolerate a machine loaded by other test runs.</summary>
    public static string PostgresConnection => new Npgsql.NpgsqlConnectionStringBuilder(Require(Postgres)) { Timeout = 60, CommandTimeout = 120 }.ConnectionString;

    /// <summary>The Redis configuration with timeouts that tolerate a machine loaded by other test runs.</summary>
    public static string RedisConfiguration => Require(Redis) + ",connectTimeout=30000,syncTimeout=30000,asyncTimeout=30000";

    /// <summary>The value of <paramref name="variable"/>; throws (fails the test) when missing.</summary>
    public static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set but CI requires this test to run against a real server (scripts/test-servers.sh).");
}
