using System.Net.Sockets;
using System.Text;

namespace OrleansMemory.Silo.Tests;

/// <summary>Requests Kestrel refuses before the API (NUL in the path, a request line or headers beyond its limits) get
/// Kestrel's own status code and a closed connection, on a real socket, and change nothing; ordinary keep-alive
/// traffic is untouched.</summary>
public sealed class ServerRejectionTests
{
    [Fact]
    public async Task Requests_the_http_server_refuses_get_its_status_codes_and_change_nothing()
    {
        var storage = Directory.CreateTempSubdirectory("omem-silo-");
        try
        {
            await using var silo = await SocketSilo.StartAsync($"--OrleansMemory:Storage:BaseDirectory={storage.FullName}");
            var address = silo.Address;

            AssertRefused(await RawAsync(address, "POST /v1/users/a%00b/memories HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"), 400);
            AssertRefused(await RawAsync(address, $"GET /v1/users/{new string('u', 70_000)}/stats HTTP/1.1\r\nHost: x\r\n\r\n"), 414);
            AssertRefused(await RawAsync(address, $"GET /v1/users/u/stats HTTP/1.1\r\nHost: x\r\nX-Big: {new string('h', 40_000)}\r\n\r\n"), 431);

            var client = silo.Client;
            for (var i = 0; i < 3; i++)
            {
                await client.PostAsync("/v1/users/u1/memories", Http.Body("""{"text":"t","embedding":[1,0]}""")).Expect(i == 0 ? 201 : 200);
                await client.GetAsync("/v1/users/u1/stats").Expect(200);
            }

            await client.GetAsync("/v1/users/has%20space/stats").ExpectProblem(400);
            await silo.StopAsync();
        }
        finally
        {
            storage.Delete(recursive: true);
        }
    }

    private static async Task<string> RawAsync(Uri address, string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(); // the server closes the connection after a refusal
    }

    private static void AssertRefused(string response, int status)
    {
        Assert.StartsWith($"HTTP/1.1 {status} ", response, StringComparison.Ordinal);
        Assert.Contains("Connection: close", response, StringComparison.Ordinal);
    }
}
