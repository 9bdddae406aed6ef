using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace OrleansMemory.Silo.Tests;

/// <summary>A storage server that stops is a 503, never a 500: a silo on a private PostgreSQL (storage), or on a private
/// Redis (storage and clustering), keeps answering while its server is stopped, every route with a success (what an
/// active grain holds), a 404, or a 503 with <c>Retry-After</c> and a problem naming the storage (writes: outcome
/// unknown); when the server is back the silo serves again without a restart and every acknowledged write reads back.</summary>
public sealed class ServerOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_stopped_postgresql_is_a_503_on_every_route_and_the_silo_recovers_without_losing_a_write()
    {
        await using var server = await PrivatePostgreSql.TryCreateAsync();
        if (server is null)
        {
            Assert.True(Environment.GetEnvironmentVariable("CI") is null, "PostgreSQL is not installed (/usr/lib/postgresql/*/bin)");
            output.WriteLine("Not run: PostgreSQL is not installed (/usr/lib/postgresql/*/bin).");
            return;
        }

        await RunAsync(server, "postgres",
            "--OrleansMemory:Storage:Type=postgres", $"--OrleansMemory:Storage:ConnectionString={server.ConnectionString}",
            "--OrleansMemory:Storage:CreateSchema=true", "--OrleansMemory:Storage:Timeout=10");
    }

    [Fact]
    public async Task A_stopped_redis_is_a_503_on_every_route_and_the_silo_recovers_without_losing_a_write()
    {
        await using var server = await PrivateRedis.TryCreateAsync();
        if (server is null)
        {
            Assert.True(Environment.GetEnvironmentVariable("CI") is null, "redis-server is not installed");
            output.WriteLine("Not run: redis-server is not installed.");
            return;
        }

        // Short client timeouts: a command waits for a connection at most 1 s, so that a call fails well within the
        // grain call timeout.
        var connection = $"{server.ConnectionString},connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000,abortConnect=false";
        await RunAsync(server, "redis",
            "--OrleansMemory:Storage:Type=redis", $"--OrleansMemory:Storage:ConnectionString={connection}",
            "--OrleansMemory:Clustering:Kind=redis", $"--OrleansMemory:Clustering:ConnectionString={connection}");
    }

    private async Task RunAsync(PrivateServer server, string name, params string[] settings)
    {
        var service = "outage" + Guid.NewGuid().ToString("N")[..8];
        var storage = Directory.CreateTempSubdirectory("omem-outage-");
        await using var silo = await SocketSilo.StartAsync([$"--OrleansMemory:ServiceId={service}", $"--OrleansMemory:ClusterId={service}",
            $"--OrleansMemory:DataProtectionKeysDirectory={storage.FullName}", "--OrleansMemory:Grains:AutoResolveSingletonConflicts=false", .. settings]);
        try
        {
            var client = silo.Client;
            client.Timeout = TimeSpan.FromSeconds(40);

            // Acknowledged before the outage; an active grain of each kind (writes to them fail on their write).
            var acked = new RouteWalk("acked-user", "acked-conv", "acked-agent", "acked-key", "acked-state", "acked");
            var before = await acked.RunAsync(client);
            Assert.True(before.All(a => a.Status < 500), string.Join('\n', before.Where(a => a.Status >= 500)));
            await client.PostAsync("/v1/conversations/acked-conv/messages", Http.Body("""{"messages":[{"id":"kept-1","role":"user","content":"kept"}]}""")).Expect(201);
            var memoriesBefore = (await client.GetAsync("/v1/users/acked-user/memories?include_archived=true").Expect(200)).GetProperty("total_count").GetInt32();

            await server.StopAsync();
            var clock = Stopwatch.StartNew();

            // Fresh ids: every grain must read its state and cannot. Acknowledged ids: active grains, whose writes fail.
            var freshCalls = new RouteWalk("down-user", "down-conv", "down-agent", "down-key", "down-state", "down").RunAsync(client, concurrently: true);
            var activeCalls = acked.RunAsync(client, concurrently: true);
            var fresh = await freshCalls;
            var active = await activeCalls;
            var deletes = (await new RouteWalk("down-user2", "down-conv2", "down-agent2", "down-key2", "down-state2", "down").DeleteAsync(client, client))
                .Concat(await SystemAsync(client)).ToList();
            output.WriteLine($"{name} down: {fresh.Count + active.Count + deletes.Count} calls answered in {clock.Elapsed.TotalSeconds:F1} s");
            foreach (var group in fresh.Concat(active).Concat(deletes).GroupBy(a => a.Status).OrderBy(g => g.Key))
            {
                output.WriteLine($"  {group.Key}: {group.Count()} ({string.Join(", ", group.Take(6).Select(a => a.Method + " " + a.Template))}{(group.Count() > 6 ? ", ..." : "")})");
            }

            var mcp = await McpAsync(silo.Address);
            output.WriteLine($"  MCP: {string.Join(", ", mcp)}");
            var failures = new List<string>(mcp.Where(m => !m.EndsWith(": 503 Storage unavailable", StringComparison.Ordinal)).Select(m => "MCP " + m));
            foreach (var answer in fresh.Concat(active).Concat(deletes))
            {
                Check(answer, failures);
            }

            // A grain that cannot read its state answers nothing else: every fresh write and read that reaches a grain is a 503.
            var freshUnavailable = fresh.Count(a => a.Status == 503);
            Assert.True(failures.Count == 0, string.Join('\n', failures));
            Assert.True(freshUnavailable >= fresh.Count - 3,
                $"only {freshUnavailable} of {fresh.Count} calls on grains that could not read their state were 503:\n{string.Join('\n', fresh.Where(a => a.Status != 503))}");
            Assert.Contains(active, a => a.IsWrite && a.Status == 503);

            // Back: the silo serves again without a restart, and nothing acknowledged was lost.
            await server.StartAsync();
            clock.Restart();
            var recovered = false;
            while (!recovered && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                using var response = await client.PostAsync("/v1/conversations/after-conv/messages", Http.Body("""{"messages":[{"id":"after-1","role":"user","content":"after"}]}"""));
                recovered = response.IsSuccessStatusCode;
                if (!recovered)
                {
                    await Task.Delay(250);
                }
            }

            Assert.True(recovered, $"{name}: still failing 30 s after the server came back");
            output.WriteLine($"{name} back: first write stored {clock.Elapsed.TotalSeconds:F1} s after the restart");
            var messages = (await client.GetAsync("/v1/conversations/acked-conv/messages?after=0&limit=100").Expect(200)).GetRawText();
            Assert.Contains("\"kept-1\"", messages, StringComparison.Ordinal);
            var memoriesAfter = (await client.GetAsync("/v1/users/acked-user/memories?include_archived=true").Expect(200)).GetProperty("total_count").GetInt32();
            Assert.True(memoriesAfter >= memoriesBefore, $"{memoriesBefore} memories acknowledged, {memoriesAfter} read back");
            var cached = await client.GetAsync("/v1/cache/acked-key").Expect(200);
            Assert.Contains("acked cached", cached.GetRawText(), StringComparison.Ordinal);
            var state = await client.GetAsync("/v1/system/state/acked-state").Expect(200);
            Assert.Contains("acked state", state.GetRawText(), StringComparison.Ordinal);
            await client.PostAsync("/v1/users/down-user/memories", Http.Body("""{"text":"after the outage","embedding":[1,0,0]}""")).Expect(201);
        }
        finally
        {
            await silo.StopAsync();
            storage.Delete(recursive: true);
        }
    }

    /// <summary>MCP tools on grains that must read their state: a write and reads, each an error result with the
    /// API's 503 problem.</summary>
    private static async Task<IReadOnlyList<string>> McpAsync(Uri address)
    {
        var transport = new ModelContextProtocol.Client.HttpClientTransport(new ModelContextProtocol.Client.HttpClientTransportOptions
        {
            Endpoint = new Uri(address, "/mcp"),
            TransportMode = ModelContextProtocol.Client.HttpTransportMode.StreamableHttp,
        });
        await using var mcp = await ModelContextProtocol.Client.McpClient.CreateAsync(transport);
        var answers = new List<string>();
        foreach (var (tool, arguments) in new (string, Dictionary<string, object?>)[]
                 {
                     ("append_messages", new() { ["conversation_id"] = "mcp-down-conv", ["messages"] = new[] { new { role = "user", content = "down" } } }),
                     ("get_messages", new() { ["conversation_id"] = "mcp-down-conv2" }),
                     ("get_memories", new() { ["user_id"] = "mcp-down-user" }),
                     ("get_pending_conflicts", new() { ["user_id"] = "mcp-down-user2" }),
                 })
        {
            var result = await mcp.CallToolAsync(tool, arguments);
            var problem = result.StructuredContent;
            answers.Add(result.IsError == true && problem is { } p && p.TryGetProperty("status", out var status)
                ? $"{tool}: {status.GetInt32()} {p.GetProperty("title").GetString()}"
                : $"{tool}: not an error result");
        }

        return answers;
    }

    /// <summary>The routes that span grains or the silo: system, storage statistics (catalogs), health.</summary>
    private static async Task<IReadOnlyList<RouteWalk.Answer>> SystemAsync(HttpClient client)
    {
        var answers = new List<RouteWalk.Answer>();
        foreach (var url in new[] { "/v1/system", "/v1/storage/stats", "/dashboard/api/summary", "/v1/health", "/health/ready", "/health/live" })
        {
            using var response = await client.GetAsync(url);
            answers.Add(new RouteWalk.Answer("GET", url, (int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.RetryAfter?.ToString()));
        }

        return answers;
    }

    /// <summary>Never a 500; a 5xx is a 503 (or a 504) with <c>Retry-After</c> and a problem that names what is unavailable
    /// and, for a write, says its outcome is unknown.</summary>
    private static void Check(RouteWalk.Answer answer, List<string> failures)
    {
        if (answer.Status < 500)
        {
            return;
        }

        if (answer.Template is "/health/ready" or "/health/live" or "/v1/health")
        {
            // Probes answer in their own format; an unready silo is a 503, never a 500.
            if (answer.Status != 503)
            {
                failures.Add($"{answer.Template} answered {answer.Status}: {answer.Body}");
            }

            return;
        }

        if (answer.Status is not (503 or 504))
        {
            failures.Add($"{answer.Method} {answer.Template} answered {answer.Status}: {answer.Body}");
            return;
        }

        JsonElement problem;
        try
        {
            problem = JsonDocument.Parse(answer.Body).RootElement;
        }
        catch (JsonException)
        {
            failures.Add($"{answer.Method} {answer.Template}: {answer.Status} without a problem body: {answer.Body}");
            return;
        }

        var title = problem.TryGetProperty("title", out var t) ? t.GetString() : null;
        if (answer.Status == 503 && answer.RetryAfter is null)
        {
            failures.Add($"{answer.Method} {answer.Template}: 503 without Retry-After");
        }

        if (title is null || !title.Contains("unavailable", StringComparison.OrdinalIgnoreCase) && answer.Status == 503)
        {
            failures.Add($"{answer.Method} {answer.Template}: {answer.Status} titled '{title}', not naming what is unavailable");
        }

        var outcome = problem.TryGetProperty("outcome", out var o) ? o.GetString() : null;
        if (answer.IsWrite && outcome != "unknown")
        {
            failures.Add($"{answer.Method} {answer.Template}: a failed write without \"outcome\":\"unknown\": {answer.Body}");
        }
    }
}
