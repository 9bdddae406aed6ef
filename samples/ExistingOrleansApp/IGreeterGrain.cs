namespace ExistingOrleansApp;

/// <summary>The app's own grain: greets people and counts its greetings.</summary>
[Alias("existingapp.IGreeterGrain")]
public interface IGreeterGrain : IGrainWithStringKey
{
    /// <summary>Greets <paramref name="name"/>; the greeting says how many this greeter has given.</summary>
    Task<string> GreetAsync(string name, CancellationToken cancellationToken = default);
}
