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

    /// <summary>Why tests needing <paramref name="variable"/> are skipped; null when they run (set, or CI).</summary>
    public static string? SkipReason(string variable) =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(variable)) || IsCi
            ? null
            : $"{variable} is not set and CI is not set: start the servers with eval \"$(scripts/test-servers.sh)\" to run this test.";

    /// <summary>The value of <paramref name="variable"/>; throws (fails the test) when missing.</summary>
    public static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set but CI requires this test to run against a real server (scripts/test-servers.sh).");
}
