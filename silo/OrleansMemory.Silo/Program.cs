using OrleansMemory.Silo.Hosting;

WebApplication app;
try
{
    app = SiloApplication.Create(args);
}
catch (SiloConfigurationException ex)
{
    Console.Error.WriteLine("OrleansMemory silo: the configuration is invalid; nothing was started.");
    foreach (var failure in ex.Failures)
    {
        Console.Error.WriteLine("  - " + failure);
    }

    return 2;
}

await app.RunAsync().ConfigureAwait(false);
return 0;

/// <summary>The silo executable's entry point (public for WebApplicationFactory).</summary>
public partial class Program;
