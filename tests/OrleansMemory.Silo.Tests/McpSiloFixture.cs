using System.Net.Http.Headers;
using ModelContextProtocol.Client;

namespace OrleansMemory.Silo.Tests;

/// <summary>A silo on loopback sockets with API keys of two tenants (one pinned to a user) for the MCP tests, and the
/// SDK's client connected to its <c>/mcp</c>.</summary>
public sealed class McpSiloFixture : IAsyncLifetime
{
    public const string ReadWriteA = "mcp-tenant-a-read-write-0001";
    public const string ReadOnlyA = "mcp-tenant-a-read-only-00002";
    public const string ReadWriteB = "mcp-tenant-b-read-write-0003";
    public const string AdminA = "mcp-tenant-a-admin-0000000004";
    public const string WriteOnlyA = "mcp-tenant-a-write-only-00005";
    public const string Operator = "mcp-operator-of-the-silo-0006";
    public const string PinnedA = "mcp-tenant-a-pinned-alice-007";
    public const string PinnedUser = "alice";

    private readonly DirectoryInfo _storage = Directory.CreateTempSubdirectory("omem-mcp-");
    private SocketSilo? _silo;

    /// <summary>The silo's HTTP address.</summary>
    public Uri Address => _silo!.Address;

    public async Task InitializeAsync()
    {
        List<string> settings =
        [
            $"--OrleansMemory:Storage:BaseDirectory={_storage.FullName}", "--OrleansMemory:Auth:Mode=Required",
            "--OrleansMemory:Grains:AutoResolveSingletonConflicts=false",
        ];
        (string Key, string Tenant, string[] Scopes, string? User)[] keys =
        [
            (ReadWriteA, "tenant-a", ["read", "write"], null), (ReadOnlyA, "tenant-a", ["read"], null),
            (ReadWriteB, "tenant-b", ["read", "write"], null), (AdminA, "tenant-a", ["admin"], null),
            (WriteOnlyA, "tenant-a", ["write"], null), (Operator, "ops", ["operator"], null),
            (PinnedA, "tenant-a", ["read", "write"], PinnedUser),
        ];
        for (var i = 0; i < keys.Length; i++)
        {
            settings.Add($"--OrleansMemory:Auth:ApiKeys:{i}:Key={keys[i].Key}");
            settings.Add($"--OrleansMemory:Auth:ApiKeys:{i}:Tenant={keys[i].Tenant}");
            settings.AddRange(keys[i].Scopes.Select((s, j) => $"--OrleansMemory:Auth:ApiKeys:{i}:Scopes:{j}={s}"));
            if (keys[i].User is { } user)
            {
                settings.Add($"--OrleansMemory:Auth:ApiKeys:{i}:User={user}");
            }
        }

        _silo = await SocketSilo.StartAsync([.. settings]);
    }

    /// <summary>The SDK's MCP client on <c>/mcp</c> (streamable HTTP) sending <paramref name="key"/> as a bearer token.</summary>
    public async Task<McpClient> ConnectAsync(string? key)
    {
        var http = new HttpClient();
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(Address, "/mcp"), TransportMode = HttpTransportMode.StreamableHttp },
            http, ownsHttpClient: true);
        return await McpClient.CreateAsync(transport);
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        _storage.Delete(recursive: true);
    }
}
