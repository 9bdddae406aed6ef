using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using Orleans.Configuration;
using OrleansMemory.Abstractions;
using OrleansMemory.Silo.Hosting;
using Xunit.Abstractions;

namespace OrleansMemory.Silo.Tests;

/// <summary>No personal data in logs or metrics: a silo logging at its default level (Information; ASP.NET Core at
/// Warning, as appsettings.json) is flooded with marked tenant, user, conversation, agent, cache and state ids and
/// marked memory, message, cache and state texts through every route, MCP tools, caller mistakes, and Orleans calls
/// whose responses are dropped (a cluster client that timed out, a client that went away); no log record at Information
/// or above (message, values, exception, scope), of the silo or of the cluster client, and no line of <c>/metrics</c>
/// holds a marker.</summary>
public sealed class LogFloodTests(ITestOutputHelper output)
{
    private const string ApiKey = "key-flood-test-secret-0000000001";

    [Fact]
    public async Task No_marked_id_or_text_reaches_a_log_line_at_information_or_metrics()
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var markers = new Dictionary<string, string>
        {
            ["tenant"] = $"TnQx{run}", ["user"] = $"UsQx{run}", ["conversation"] = $"CvQx{run}", ["agent"] = $"AgQx{run}",
            ["cache key"] = $"CkQx{run}", ["state key"] = $"SkQx{run}", ["text"] = $"TxQx{run}", ["mcp user"] = $"McQx{run}",
            ["client text"] = $"ClQx{run}", ["api key"] = ApiKey,
        };
        var storage = Directory.CreateTempSubdirectory("omem-flood-");
        var captured = new CapturingLoggerProvider();
        var gatewayPort = LoopbackPorts.Free();
        var builder = WebApplication.CreateBuilder(["--OrleansMemory:Http:Port=0", "--OrleansMemory:SiloPort=0", $"--OrleansMemory:GatewayPort={gatewayPort}",
            "--OrleansMemory:Storage:Type=file", $"--OrleansMemory:Storage:BaseDirectory={storage.FullName}", "--OrleansMemory:Auth:Mode=Required",
            $"--OrleansMemory:Auth:ApiKeys:0:Key={ApiKey}", $"--OrleansMemory:Auth:ApiKeys:0:Tenant={markers["tenant"]}",
            "--OrleansMemory:Auth:ApiKeys:0:Scopes:0=admin", "--OrleansMemory:Auth:ApiKeys:0:Scopes:1=operator",
            "--OrleansMemory:Grains:AutoResolveSingletonConflicts=false", "--OrleansMemory:ShutdownTimeout=00:00:05",
            "--Logging:LogLevel:Default=Information", "--Logging:LogLevel:Microsoft.AspNetCore=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning"]);
        SiloApplication.ConfigureBuilder(builder);
        builder.Logging.AddProvider(captured);
        await using var app = builder.Build();
        SiloApplication.ConfigureApplication(app);
        await app.StartAsync();
        try
        {
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
            using var client = new HttpClient { BaseAddress = address };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);

            // Every route, twice (the second time on grains that are active and hold data), then caller mistakes.
            var walk = new RouteWalk(markers["user"], markers["conversation"], markers["agent"], markers["cache key"], markers["state key"], markers["text"]);
            var answers = (await walk.RunAsync(client)).Concat(await walk.RunAsync(client)).ToList();
            Assert.True(answers.Count(a => a.Status is >= 200 and < 300) >= answers.Count * 3 / 4,
                "most calls should succeed, so that the data reaches the grains:\n" + string.Join('\n', answers.Where(a => a.Status >= 300)));
            await MistakesAsync(client, markers);
            await McpAsync(address, markers);
            await DroppedResponsesAsync(gatewayPort, markers, captured);
            answers.AddRange(await walk.DeleteAsync(client, client));
            Assert.DoesNotContain(answers, a => a.Status >= 500);

            var metrics = await client.GetStringAsync("/metrics");
            Assert.Contains("orleansmemory_", metrics, StringComparison.Ordinal);
            var metricLeaks = metrics.Split('\n').Where(line => markers.Values.Any(m => line.Contains(m, StringComparison.OrdinalIgnoreCase))).ToList();
            Assert.True(metricLeaks.Count == 0, "/metrics holds a marker:\n" + string.Join('\n', metricLeaks.Take(20)));
        }
        finally
        {
            await app.StopAsync();
            storage.Delete(recursive: true);
        }

        var records = captured.Records.ToList();
        output.WriteLine($"{records.Count} log records, {records.Count(r => r.Level >= LogLevel.Information)} at Information or above");
        Assert.Contains(records, r => r.Level >= LogLevel.Warning); // the dropped responses were logged
        foreach (var group in records.Where(r => r.Level >= LogLevel.Warning).GroupBy(r => (r.Category, r.EventId)))
        {
            output.WriteLine($"  {group.Count()} x {group.Key.Category} ({group.Key.EventId}): {Excerpt(group.First().Text)[..Math.Min(160, group.First().Text.Length)]}");
        }

        var leaks = records.Where(r => r.Level >= LogLevel.Information)
            .SelectMany(r => markers.Where(m => r.Text.Contains(m.Value, StringComparison.OrdinalIgnoreCase)).Select(m => (Marker: m.Key, Record: r)))
            .ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} log records at Information or above hold a marker:\n" + string.Join("\n", leaks
            .GroupBy(l => (l.Marker, l.Record.Category, l.Record.EventId))
            .Select(g => $"{g.Key.Marker} in {g.Count()} x {g.First().Record.Level} {g.Key.Category} ({g.Key.EventId}): {Excerpt(g.First().Record.Text)}")));
    }

    /// <summary>Caller mistakes that carry markers: malformed bodies, unknown memories, unknown conflicts.</summary>
    private static async Task MistakesAsync(HttpClient client, Dictionary<string, string> markers)
    {
        var u = $"/v1/users/{markers["user"]}";
        (await client.PostAsync($"{u}/memories", Http.Body($$"""{"text":"{{markers["text"]}}","embedding":"{{markers["text"]}}"}"""))).Dispose();
        (await client.PostAsync($"{u}/memories", Http.Body($$"""{"text":"{{markers["text"]}}","embedding":[1,0,0],"{{markers["text"]}}":1}"""))).Dispose();
        (await client.GetAsync($"{u}/memories/{markers["text"]}")).Dispose();
        (await client.PostAsync($"{u}/conflicts/{markers["text"]}/resolve", Http.Body("""{"kind":"keep_a"}"""))).Dispose();
        (await client.PutAsync($"/v1/cache/{markers["cache key"]}", Http.Body($$"""{"value":{"{{markers["text"]}}":1e309} }"""))).Dispose();
        (await client.PostAsync($"/v1/conversations/{markers["conversation"]}/messages", Http.Body($$"""{"messages":[{"role":"{{markers["text"]}}","content":"x"}]}"""))).Dispose();
        (await client.GetAsync($"/v1/conversations/{markers["conversation"]}/chunks/{markers["text"]}")).Dispose();
        (await client.GetAsync($"/v1/system/state/{markers["text"]}")).Dispose();
    }

    /// <summary>The MCP tools that carry a user and its text (the local model embeds them).</summary>
    private static async Task McpAsync(Uri address, Dictionary<string, string> markers)
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(address, "/mcp"), TransportMode = HttpTransportMode.StreamableHttp }, http, ownsHttpClient: true);
        await using var mcp = await McpClient.CreateAsync(transport);
        var user = markers["mcp user"];
        var text = markers["text"];
        var added = await mcp.CallToolAsync("add_memory", new Dictionary<string, object?> { ["text"] = $"{text} works as a nurse", ["user_id"] = user });
        Assert.True(added.IsError is not true, "add_memory failed");
        var id = added.StructuredContent is { } content && content.TryGetProperty("memory", out var memory) ? memory.GetProperty("id").GetString() : "none";
        foreach (var (tool, arguments) in new (string, Dictionary<string, object?>)[]
                 {
                     ("add_memory", new() { ["text"] = $"{text} does not work as a nurse", ["user_id"] = user }),
                     ("search_memories", new() { ["query"] = $"{text} job", ["user_id"] = user }),
                     ("get_memories", new() { ["user_id"] = user }),
                     ("get_memory", new() { ["memory_id"] = id, ["user_id"] = user }),
                     ("update_memory", new() { ["memory_id"] = id, ["text"] = $"{text} is a school nurse", ["user_id"] = user }),
                     ("get_pending_conflicts", new() { ["user_id"] = user }),
                     ("append_messages", new() { ["conversation_id"] = markers["conversation"], ["messages"] = new[] { new { role = "user", content = $"{text} via mcp" } } }),
                     ("get_messages", new() { ["conversation_id"] = markers["conversation"] }),
                     ("get_memory_context", new() { ["agent_id"] = markers["agent"] }),
                     ("get_memory", new() { ["memory_id"] = text, ["user_id"] = user }),
                     ("delete_memory", new() { ["memory_id"] = id, ["user_id"] = user }),
                     ("delete_all_memories", new() { ["user_id"] = user }),
                 })
        {
            await mcp.CallToolAsync(tool, arguments);
        }
    }

    /// <summary>Responses Orleans cannot deliver: a cluster client whose calls time out (100 ms) while the grain still
    /// answers them, and a cluster client that stops while its calls are queued at the grain.</summary>
    private async Task DroppedResponsesAsync(int gatewayPort, Dictionary<string, string> markers, CapturingLoggerProvider captured)
    {
        var grainKey = $"{markers["tenant"]}/{markers["user"]}";
        var timedOut = 0;
        var (host, grains) = await StartClientAsync(gatewayPort, captured);
        try
        {
            var calls = Enumerable.Range(0, 60).Select(async i =>
            {
                try
                {
                    await grains.GetGrain<IUserGrain>(grainKey).AddMemoryAsync($"{markers["client text"]} fact {i}", Vector(i));
                }
                catch (TimeoutException)
                {
                    Interlocked.Increment(ref timedOut);
                }
            }).ToList();
            await Task.WhenAll(calls);
            await Task.Delay(TimeSpan.FromSeconds(2)); // the late responses arrive and are dropped
        }
        finally
        {
            await host.StopAsync();
            host.Dispose();
        }

        (host, grains) = await StartClientAsync(gatewayPort, captured);
        var abandoned = Enumerable.Range(60, 60).Select(i => grains.GetGrain<IUserGrain>(grainKey).AddMemoryAsync($"{markers["client text"]} fact {i}", Vector(i))).ToList();
        await Task.Delay(50);
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            await host.StopAsync(stop.Token);
        }

        host.Dispose();
        await Task.WhenAny(Task.WhenAll(abandoned), Task.Delay(TimeSpan.FromSeconds(5)));
        await Task.Delay(TimeSpan.FromSeconds(1));
        output.WriteLine($"{timedOut} of 60 cluster-client calls timed out while the grain answered them");
        Assert.True(timedOut > 0, "no call timed out: no response was dropped");
    }

    private static float[] Vector(int i)
    {
        var vector = new float[3];
        vector[i % 3] = 1;
        vector[(i + 1) % 3] = 0.001f * i;
        return vector;
    }

    private static async Task<(IHost Host, IClusterClient Grains)> StartClientAsync(int gatewayPort, CapturingLoggerProvider captured)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddProvider(captured);
        builder.Services.AddGrainIdLogRedaction(); // as an agent host does to keep grain ids out of Orleans' warnings
        builder.UseOrleansClient(client => client
            .UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort))
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = "dev";
                o.ServiceId = "orleansmemory";
            })
            .Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMilliseconds(100)));
        var host = builder.Build();
        await host.StartAsync();
        return (host, host.Services.GetRequiredService<IClusterClient>());
    }

    private static string Excerpt(string text) => text.Length <= 600 ? text : text[..600] + "...";

}
