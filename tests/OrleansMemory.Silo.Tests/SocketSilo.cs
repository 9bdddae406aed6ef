using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OrleansMemory.Silo.Hosting;

namespace OrleansMemory.Silo.Tests;

/// <summary>The real executable's pipeline (<see cref="SiloApplication"/>) started on loopback sockets: HTTP, silo and
/// gateway ports chosen by the OS, warnings only, a 5 s shutdown. Settings given to <see cref="StartAsync"/> come after
/// these defaults, so they win.</summary>
public sealed class SocketSilo : IAsyncDisposable
{
    private static readonly string[] Defaults =
    [
        "--OrleansMemory:Http:Port=0", "--OrleansMemory:SiloPort=0", "--OrleansMemory:GatewayPort=0",
        "--Logging:LogLevel:Default=Warning", "--OrleansMemory:ShutdownTimeout=00:00:05",
    ];

    private SocketSilo(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    /// <summary>The running silo.</summary>
    public WebApplication App { get; }

    /// <summary>Its HTTP address (<c>http://127.0.0.1:port/</c>).</summary>
    public Uri Address { get; }

    /// <summary>A client for <see cref="Address"/>.</summary>
    public HttpClient Client { get; }

    /// <summary>Builds and starts a silo with <paramref name="settings"/> (command-line form) after the defaults.</summary>
    public static async Task<SocketSilo> StartAsync(params string[] settings)
    {
        var app = SiloApplication.Create([.. Defaults, .. settings]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new SocketSilo(app, new Uri(address));
    }

    /// <summary>Stops the silo gracefully (grains deactivated, exporters flushed).</summary>
    public Task StopAsync() => App.StopAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
