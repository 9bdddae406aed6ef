using Xunit.Abstractions;
using Xunit.Sdk;

namespace OrleansMemory.Cluster.Tests;

/// <summary>Addresses of the real servers the tests use (scripts/test-servers.sh). A missing server fails the test
/// when CI is set and skips it, with the reason, otherwise.</summary>
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

/// <summary>Names the environment variable holding the address of the server a test class needs.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresServerAttribute(string environmentVariable) : Attribute
{
    public string EnvironmentVariable { get; } = environmentVariable;
}

/// <summary>A fact that is skipped (with the reason) when its class needs a server that is not configured and CI is not set.</summary>
[XunitTestCaseDiscoverer("OrleansMemory.Cluster.Tests.ServerFactDiscoverer", "OrleansMemory.Cluster.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ServerFactAttribute : FactAttribute;

public sealed class ServerFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    private readonly FactDiscoverer _inner = new(diagnosticMessageSink);

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var requires = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresServerAttribute)).FirstOrDefault();
        if (requires?.GetConstructorArguments().FirstOrDefault() is string variable && TestServers.SkipReason(variable) is { } reason)
        {
            return [new XunitSkippedDataRowTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)];
        }

        return _inner.Discover(discoveryOptions, testMethod, factAttribute);
    }
}
