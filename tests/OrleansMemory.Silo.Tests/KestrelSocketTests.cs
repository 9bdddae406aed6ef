using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OrleansMemory.Silo.Hosting;

namespace OrleansMemory.Silo.Tests;

/// <summary>The real executable's pipeline on a real loopback socket (port chosen by the OS).</summary>
public sealed class KestrelSocketTests
{
    [Fact]
    public async Task Silo_serves_http_on_a_loopback_socket_and_stops_cleanly()
    {
        var storage = Directory.CreateTempSubdirectory("omem-silo-");
        try
        {
            await using var app = SiloApplication.Create(
            [
                "--OrleansMemory:Http:Port=0", $"--OrleansMemory:Storage:BaseDirectory={storage.FullName}", "--OrleansMemory:ShutdownTimeout=00:00:05",
            ]);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);

            using var client = new HttpClient { BaseAddress = new Uri(address) };
            await client.GetAsync("/health/ready").Expect(200);
            await client.PutAsync("/v1/cache/greeting", Http.Body("""{"value":"hello"}""")).Expect(204);
            Assert.Equal("hello", (await client.GetAsync("/v1/cache/greeting").Expect(200)).GetProperty("value").GetString());
            await app.StopAsync();

            Assert.True(Directory.EnumerateFiles(storage.FullName, "*.json", SearchOption.AllDirectories).Any(), "the file provider wrote the entry");
        }
        finally
        {
            storage.Delete(recursive: true);
        }
    }
}
