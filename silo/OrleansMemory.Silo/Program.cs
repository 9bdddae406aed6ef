using OrleansMemory.Silo.Hosting;

// `OrleansMemory.Silo healthcheck [url]`: exit 0 when the silo's /health/ready answers 200 (container health checks,
// where no curl is installed). Default url: http://127.0.0.1:5080/health/ready.
if (args is ["healthcheck", ..])
{
    return await HealthProbe.RunAsync(args.Length > 1 ? args[1] : "http://127.0.0.1:5080/health/ready").ConfigureAwait(false);
}

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
