namespace OrleansMemory.Silo.Hosting;

/// <summary>The configuration is invalid; <see cref="Failures"/> has one message per problem, each naming its key.</summary>
public sealed class SiloConfigurationException(IReadOnlyList<string> failures)
    : Exception("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, failures.Select(f => "  - " + f)))
{
    /// <summary>One message per problem.</summary>
    public IReadOnlyList<string> Failures { get; } = failures;
}
