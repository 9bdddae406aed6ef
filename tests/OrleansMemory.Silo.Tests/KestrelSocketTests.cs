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
            await using var silo = await SocketSilo.StartAsync($"--OrleansMemory:Storage:BaseDirectory={storage.FullName}");
            var address = silo.Address.ToString().TrimEnd('/');
            Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);

            var client = silo.Client;
            await client.GetAsync("/health/ready").Expect(200);
            await client.PutAsync("/v1/cache/greeting", Http.Body("""{"value":"hello"}""")).Expect(204);
            Assert.Equal("hello", (await client.GetAsync("/v1/cache/greeting").Expect(200)).GetProperty("value").GetString());
            Assert.Equal(0, await HealthProbe.RunAsync(address + "/health/ready"));
            await silo.StopAsync();
            Assert.Equal(1, await HealthProbe.RunAsync(address + "/health/ready"));

            Assert.True(Directory.EnumerateFiles(storage.FullName, "*.json", SearchOption.AllDirectories).Any(), "the file provider wrote the entry");
        }
        finally
        {
            storage.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Grain_types_go_to_their_configured_providers()
    {
        var storage = Directory.CreateTempSubdirectory("omem-silo-");
        try
        {
            await using var silo = await SocketSilo.StartAsync("--OrleansMemory:Storage:Type=sqlite", $"--OrleansMemory:Storage:DbPath={storage.FullName}/silo.db",
                "--OrleansMemory:Storage:Providers:fast:Type=file", $"--OrleansMemory:Storage:Providers:fast:BaseDirectory={storage.FullName}/fast", "--OrleansMemory:Storage:GrainTypes:cache=fast");
            var client = silo.Client;
            await client.PutAsync("/v1/cache/k1", Http.Body("""{"value":1}""")).Expect(204);
            await client.PostAsync("/v1/users/u1/memories", Http.Body("""{"text":"t","embedding":[1,0]}""")).Expect(201);

            var stats = await client.GetAsync("/v1/storage/stats").Expect(200);
            var byProvider = stats.EnumerateArray().ToDictionary(
                p => p.GetProperty("name").GetString()!,
                p => p.GetProperty("grain_types").EnumerateArray().Select(t => t.GetProperty("grain_type").GetString()).ToList());
            Assert.Equal(["Default.primary", "fast"], byProvider.Keys.Order());
            Assert.Contains("user", byProvider["Default.primary"]);
            Assert.DoesNotContain("cache", byProvider["Default.primary"]);
            Assert.Equal(["cache"], byProvider["fast"]);
            await client.GetAsync("/health/ready").Expect(200);
            await silo.StopAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            storage.Delete(recursive: true);
        }
    }
}
