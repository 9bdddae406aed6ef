using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using OrleansMemory.Silo.Api;

namespace OrleansMemory.Silo.Tests;

/// <summary>One in-process silo (file storage in a temporary directory, API keys required) shared by the API tests.</summary>
public class SiloFactory : WebApplicationFactory<Program>
{
    public const string ReadWriteA = "key-tenant-a-read-write-0001";
    public const string ReadOnlyA = "key-tenant-a-read-only-00002";
    public const string ReadWriteB = "key-tenant-b-read-write-0003";
    public const string AdminA = "key-tenant-a-admin-0000000004";
    public const string WriteOnlyA = "key-tenant-a-write-only-00005";
    public const string Operator = "key-operator-of-the-silo-0006";
    public const int MaxBodyBytes = 8192;
    public const int MaxBatch = 50;

    public static readonly JsonSerializerOptions Json = ApiJson.CreateOptions();

    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["OrleansMemory:Storage:Type"] = "file",
        ["OrleansMemory:SiloPort"] = "0",
        ["OrleansMemory:GatewayPort"] = "0",
        ["OrleansMemory:Auth:Mode"] = "Required",
        ["OrleansMemory:Auth:ApiKeys:0:Key"] = ReadWriteA,
        ["OrleansMemory:Auth:ApiKeys:0:Tenant"] = "tenant-a",
        ["OrleansMemory:Auth:ApiKeys:0:Scopes:0"] = "read",
        ["OrleansMemory:Auth:ApiKeys:0:Scopes:1"] = "write",
        ["OrleansMemory:Auth:ApiKeys:1:Key"] = ReadOnlyA,
        ["OrleansMemory:Auth:ApiKeys:1:Tenant"] = "tenant-a",
        ["OrleansMemory:Auth:ApiKeys:1:Scopes:0"] = "read",
        ["OrleansMemory:Auth:ApiKeys:2:Key"] = ReadWriteB,
        ["OrleansMemory:Auth:ApiKeys:2:Tenant"] = "tenant-b",
        ["OrleansMemory:Auth:ApiKeys:2:Scopes:0"] = "read",
        ["OrleansMemory:Auth:ApiKeys:2:Scopes:1"] = "write",
        ["OrleansMemory:Auth:ApiKeys:3:Key"] = AdminA,
        ["OrleansMemory:Auth:ApiKeys:3:Tenant"] = "tenant-a",
        ["OrleansMemory:Auth:ApiKeys:3:Scopes:0"] = "admin",
        ["OrleansMemory:Auth:ApiKeys:4:Key"] = WriteOnlyA,
        ["OrleansMemory:Auth:ApiKeys:4:Tenant"] = "tenant-a",
        ["OrleansMemory:Auth:ApiKeys:4:Scopes:0"] = "write",
        ["OrleansMemory:Auth:ApiKeys:5:Key"] = Operator,
        ["OrleansMemory:Auth:ApiKeys:5:Tenant"] = "ops",
        ["OrleansMemory:Auth:ApiKeys:5:Scopes:0"] = "operator",
        ["OrleansMemory:Limits:MaxRequestBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["OrleansMemory:Limits:MaxBatchSize"] = MaxBatch.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["OrleansMemory:Grains:AutoResolveSingletonConflicts"] = "false",
        ["OrleansMemory:ShutdownTimeout"] = "00:00:05",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>Settings a derived factory changes.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Overrides { get; } = new Dictionary<string, string?>();

    /// <summary>The file storage directory of this silo (deleted on dispose).</summary>
    public DirectoryInfo StorageDirectory { get; } = Directory.CreateTempSubdirectory("omem-silo-tests-");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("OrleansMemory:Storage:BaseDirectory", StorageDirectory.FullName);
        foreach (var (key, value) in Overrides)
        {
            builder.UseSetting(key, value);
        }

        builder.UseEnvironment("Production");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        StorageDirectory.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>A client sending <paramref name="key"/> as a bearer token (none when null).</summary>
    public HttpClient Client(string? key = ReadWriteA)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }
}

/// <summary>The API tests share one silo.</summary>
[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<SiloFactory>
{
    public const string Name = "silo";
}

/// <summary>Helpers for requests and responses.</summary>
public static class Http
{
    public static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..12];

    public static StringContent Body(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    /// <summary>Polls a conversation's formation status until nothing is pending and no attempt failed (60 s at most).</summary>
    public static async Task<JsonElement> FormationDrainedAsync(this HttpClient client, string conversation)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var status = await client.GetAsync($"/v1/conversations/{conversation}/formation").Expect(200);
            if (status.GetProperty("pending").GetInt64() == 0 && status.GetProperty("attempts").GetInt32() == 0)
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"formation did not drain: {status}");
            await Task.Delay(50);
        }
    }

    public static Task<HttpResponseMessage> PostJson(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, SiloFactory.Json);

    public static Task<HttpResponseMessage> PutJson(this HttpClient client, string url, object body) =>
        client.PutAsJsonAsync(url, body, SiloFactory.Json);

    public static async Task<JsonElement> Json(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts the status and returns the body as JSON.</summary>
    public static async Task<JsonElement> Expect(this Task<HttpResponseMessage> request, int status)
    {
        using var response = await request;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 7807 problem with the status, and returns its detail.</summary>
    public static async Task<string> ExpectProblem(this Task<HttpResponseMessage> request, int status)
    {
        using var response = await request;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        return problem.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "" : "";
    }
}
