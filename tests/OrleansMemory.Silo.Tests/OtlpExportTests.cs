using System.Collections.Concurrent;
using System.Net;

namespace OrleansMemory.Silo.Tests;

/// <summary>With <c>OrleansMemory:Telemetry:Otlp</c> set, traces, metrics and logs reach the collector over OTLP with
/// the configured protocol and headers (a local HTTP listener stands in for the collector).</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Traces_metrics_and_logs_are_exported_with_the_configured_headers()
    {
        var received = new ConcurrentQueue<(string Path, string? Header, string? ContentType, long Length)>();
        var port = LoopbackPorts.Free();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var serving = Task.Run(async () =>
        {
            while (collector.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await collector.GetContextAsync();
                }
                catch (HttpListenerException)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                received.Enqueue((context.Request.Url!.AbsolutePath, context.Request.Headers["x-tenant-token"], context.Request.ContentType, body.Length));
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        var storage = Directory.CreateTempSubdirectory("omem-otlp-");
        await using (var silo = await SocketSilo.StartAsync(
            "--OrleansMemory:Storage:Type=file", $"--OrleansMemory:Storage:BaseDirectory={storage.FullName}", "--Logging:LogLevel:Default=Information",
            $"--OrleansMemory:Telemetry:Otlp:Endpoint=http://127.0.0.1:{port}", "--OrleansMemory:Telemetry:Otlp:Protocol=http/protobuf",
            "--OrleansMemory:Telemetry:Otlp:Headers=x-tenant-token=t0k3n"))
        {
            await silo.Client.PutAsync("/v1/cache/k", Http.Body("""{"value":1}""")).Expect(204);
            await silo.StopAsync(); // the exporters flush on shutdown
        }

        storage.Delete(recursive: true);
        collector.Stop();
        await serving;
        foreach (var signal in new[] { "/v1/traces", "/v1/metrics", "/v1/logs" })
        {
            var request = Assert.Single(received.Where(r => r.Path == signal).Take(1));
            Assert.Equal("t0k3n", request.Header);
            Assert.Equal("application/x-protobuf", request.ContentType);
            Assert.True(request.Length > 0);
        }
    }

}
