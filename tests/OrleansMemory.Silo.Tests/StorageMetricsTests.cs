using Xunit.Abstractions;

namespace OrleansMemory.Silo.Tests;

/// <summary>With grain types routed to Redis and PostgreSQL providers, every provider's operations are measured under
/// its own name and type, and each provider's catalog still works through the measuring decorator.</summary>
public sealed class StorageMetricsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_provider_is_measured_and_keeps_its_catalog()
    {
        if (Environment.GetEnvironmentVariable("ORLEANSMEMORY_TEST_REDIS") is not { Length: > 0 } redis
            || Environment.GetEnvironmentVariable("ORLEANSMEMORY_TEST_POSTGRES") is not { Length: > 0 } postgres)
        {
            Assert.True(Environment.GetEnvironmentVariable("CI") is null, "ORLEANSMEMORY_TEST_REDIS/POSTGRES are not set (scripts/test-servers.sh)");
            output.WriteLine("Not run: ORLEANSMEMORY_TEST_REDIS/POSTGRES are not set.");
            return;
        }

        var storage = Directory.CreateTempSubdirectory("omem-storage-metrics-");
        var service = "i14m" + Guid.NewGuid().ToString("N")[..10];
        await using var silo = await SocketSilo.StartAsync($"--OrleansMemory:ServiceId={service}", "--OrleansMemory:Storage:Type=file", $"--OrleansMemory:Storage:BaseDirectory={storage.FullName}",
            "--OrleansMemory:Storage:Providers:hot:Type=redis", $"--OrleansMemory:Storage:Providers:hot:ConnectionString={redis}", $"--OrleansMemory:Storage:Providers:hot:KeyPrefix={service}",
            "--OrleansMemory:Storage:Providers:sql:Type=postgres", $"--OrleansMemory:Storage:Providers:sql:ConnectionString={postgres}", "--OrleansMemory:Storage:Providers:sql:CreateSchema=true",
            "--OrleansMemory:Storage:GrainTypes:cache=hot", "--OrleansMemory:Storage:GrainTypes:conversation=sql");
        try
        {
            var client = silo.Client;
            await client.PutAsync("/v1/cache/k1", Http.Body("""{"value":42}""")).Expect(204);
            await client.PutAsync("/v1/conversations/c1/document", Http.Body("""{"title":"x"}""")).Expect(204);
            await client.PostAsync("/v1/users/u1/memories", Http.Body("""{"text":"x","embedding":[1,0]}""")).Expect(201);

            var stats = await client.GetAsync("/v1/storage/stats").Expect(200);
            long Grains(string provider, string grainType) => stats.EnumerateArray().Single(p => p.GetProperty("name").GetString() == provider)
                .GetProperty("grain_types").EnumerateArray().Where(t => t.GetProperty("grain_type").GetString() == grainType).Sum(t => t.GetProperty("grain_count").GetInt64());
            Assert.Equal(1, Grains("hot", "cache"));
            Assert.Equal(1, Grains("sql", "conversation"));
            Assert.Equal(1, Grains("Default.primary", "user"));

            var metrics = await (await client.GetAsync("/metrics")).Content.ReadAsStringAsync();
            foreach (var (provider, type, grainType) in new[] { ("hot", "redis", "cache"), ("sql", "postgres", "conversation"), ("Default.primary", "file", "user") })
            {
                Assert.Matches($$"""orleansmemory_storage_operations_total\{[^}]*grain_type="{{grainType}}"[^}]*operation="write"[^}]*storage_provider="{{provider}}",storage_type="{{type}}"[^}]*\} [1-9]""", metrics);
            }

            Assert.Contains("db_client_operation_duration_seconds_bucket{", metrics); // Npgsql's own meter
            // ...without the connection: no pool name (Npgsql's is the connection string), host, port, user or database.
            Assert.DoesNotContain("pool_name", metrics);
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(postgres);
            Assert.DoesNotContain($"Port={builder.Port}", metrics, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain($"Username={builder.Username}", metrics, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await silo.StopAsync();
            storage.Delete(recursive: true);
        }
    }
}
