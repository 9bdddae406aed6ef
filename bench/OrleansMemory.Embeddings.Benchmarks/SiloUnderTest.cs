using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using OrleansMemory.Silo.Api;
using OrleansMemory.Silo.Hosting;

namespace OrleansMemory.Embeddings.Benchmarks;

/// <summary>One silo in this process (the executable's own composition: default embeddings, memory storage, loopback
/// without API keys), reached over real HTTP on loopback.</summary>
internal sealed class SiloUnderTest : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = ApiJson.CreateOptions();

    private readonly WebApplication _app;

    private SiloUnderTest(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<SiloUnderTest> StartAsync(params string[] extra)
    {
        var port = FreePort();
        string[] args =
        [
            $"--OrleansMemory:Http:Port={port}", "--OrleansMemory:SiloPort=0", "--OrleansMemory:GatewayPort=0",
            "--OrleansMemory:Storage:Type=memory", "--OrleansMemory:ClusterId=embbench", "--Logging:LogLevel:Default=Warning",
            .. extra,
        ];
        var app = SiloApplication.Create(args);
        await app.StartAsync().ConfigureAwait(false);
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256 };
        return new SiloUnderTest(app, new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}") });
    }

    public async Task<JsonElement> PostAsync(string path, object body, CancellationToken ct = default)
    {
        using var response = await Client.PostAsJsonAsync(path, body, Json, ct).ConfigureAwait(false);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? json : throw new HttpRequestException($"{(int)response.StatusCode} on {path}: {json}");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
