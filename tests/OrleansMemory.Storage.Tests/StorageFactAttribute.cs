using Xunit.Abstractions;
using Xunit.Sdk;

namespace OrleansMemory.Storage.Tests;

/// <summary>Names the environment variable holding the address of the server a test class needs.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresServerAttribute(params string[] environmentVariables) : Attribute
{
    public IReadOnlyList<string> EnvironmentVariables { get; } = environmentVariables;
}

/// <summary>A fact that is skipped (with the reason) when its class needs a server that is not configured and CI is not set.</summary>
[XunitTestCaseDiscoverer("OrleansMemory.Storage.Tests.StorageFactDiscoverer", "OrleansMemory.Storage.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StorageFactAttribute : FactAttribute;

public sealed class StorageFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    private readonly FactDiscoverer _inner = new(diagnosticMessageSink);

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var requires = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresServerAttribute)).FirstOrDefault();
        var variables = requires?.GetConstructorArguments().FirstOrDefault() as IEnumerable<string> ?? [];
        if (variables.Select(TestServers.SkipReason).FirstOrDefault(r => r is not null) is { } reason)
        {
            return [new XunitSkippedDataRowTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
                discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)];
        }

        return _inner.Discover(discoveryOptions, testMethod, factAttribute);
    }
}
