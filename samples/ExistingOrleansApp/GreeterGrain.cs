namespace ExistingOrleansApp;

/// <summary>Implements <see cref="IGreeterGrain"/>, counting in memory (the app's own grains need no storage).</summary>
[GrainType("existingapp-greeter")]
public sealed class GreeterGrain : Grain, IGreeterGrain
{
    private int _greetings;

    /// <inheritdoc/>
    public Task<string> GreetAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _greetings++;
        return Task.FromResult($"Hello, {name}! (greeting #{_greetings} from {this.GetPrimaryKeyString()})");
    }
}
