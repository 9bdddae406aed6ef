using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OrleansMemory.Silo.Hosting;

/// <summary>A silo in the bench process as the executable composes it (<see cref="SiloApplication"/>): HTTP, silo and
/// gateway on free loopback ports, only critical log lines, a 5 s shutdown. A bench's own settings come after these and win.</summary>
internal static class BenchSilo
{
    /// <summary>Builds the silo (not started) with <paramref name="settings"/> in command-line form.</summary>
    public static WebApplication Create(params string[] settings) => SiloApplication.Create([
        "--OrleansMemory:Http:Port=0", $"--OrleansMemory:SiloPort={FreePort()}", $"--OrleansMemory:GatewayPort={FreePort()}",
        "--Logging:LogLevel:Default=Critical", "--OrleansMemory:ShutdownTimeout=00:00:05", .. settings,
    ]);

    /// <summary>The started silo's HTTP address.</summary>
    public static Uri Address(WebApplication silo) =>
        new(silo.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

    /// <summary>A loopback port nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
