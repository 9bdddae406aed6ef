using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using OrleansMemory.Abstractions;
using OrleansMemory.AgentFramework;
using OrleansMemory.Hosting;

/// <summary>Issue 21's figures, each beside its same-run baseline: <c>search_memories</c> through MCP against the same
/// search through the HTTP API, and an agent run with <see cref="OrleansMemoryProvider"/> against the same run without
/// it. One silo in this process (memory storage, the local embedding model, auth off on loopback), one user of
/// <c>memories</c> memories added as text (the silo embeds them), an Orleans client host for the agent. Calls are
/// sequential; rounds alternate between the two sides.</summary>
internal static class AgentBench
{
    private const string User = "bench-user";

    private static readonly string[] Questions =
    [
        "What does the user like to drink?", "Where did the user travel last year?", "Which sports does the user play?",
        "What is the user allergic to?", "What music does the user listen to?", "Where does the user work?",
        "What are the user's pets called?", "Which books did the user read?", "What does the user cook on weekends?",
        "Which languages does the user speak?", "What is the user's favourite colour?", "Where does the user live?",
    ];

    private static readonly string[] Words =
    [
        "tea", "coffee", "Lisbon", "Oslo", "guitar", "violin", "hiking", "sailing", "peanuts", "gluten", "jazz", "opera",
        "nurse", "engineer", "teacher", "cat", "dog", "parrot", "novel", "poetry", "pasta", "curry", "Spanish", "Japanese",
        "green", "blue", "garden", "balcony", "marathon", "chess", "bakery", "museum", "winter", "summer", "train", "bicycle",
        "sister", "brother", "grandmother", "piano", "football", "tennis", "mountains", "beach", "photography", "painting",
        "podcast", "cinema", "vegetarian", "spicy", "chocolate", "wine", "yoga", "swimming", "library", "market", "river",
        "forest", "robotics", "astronomy", "birthday", "wedding", "apartment", "village", "harbour", "festival", "pottery",
    ];

    public static async Task RunAsync(string[] args)
    {
        var memories = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var calls = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300;
        var storage = Directory.CreateTempSubdirectory("omem-agent-bench-");
        var gateway = BenchSilo.FreePort();
        // Critical only (the default here): memory storage's grains leave before the others at shutdown, which logs errors
        // of no interest here.
        var silo = BenchSilo.Create($"--OrleansMemory:GatewayPort={gateway}",
            "--OrleansMemory:Storage:Type=memory", $"--OrleansMemory:Storage:BaseDirectory={storage.FullName}");
        await silo.StartAsync();
        try
        {
            var address = BenchSilo.Address(silo);
            var seeded = await SeedAsync(silo.Services.GetRequiredService<IGrainFactory>(), memories);
            Console.WriteLine($"agent integrations: one user of {seeded} memories (asked {memories}), local embedding model, {calls} calls a side " +
                $"in 5 alternating rounds after a warm-up, sequential (load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
            await McpAgainstHttpAsync(address, calls);
            await ProviderAgainstNoneAsync(gateway, calls);
        }
        finally
        {
            await silo.StopAsync();
            await silo.DisposeAsync();
            storage.Delete(recursive: true);
        }
    }

    /// <summary>Adds memories as text through the silo's own grain factory, concurrently, so that the silo's call filter
    /// embeds them in batches outside the user's turn (as the HTTP API does).</summary>
    private static async Task<int> SeedAsync(IGrainFactory grains, int count)
    {
        var user = grains.GetGrain<IUserGrain>($"default/{User}");
        var random = new Random(21);
        var start = Stopwatch.GetTimestamp();
        var stored = 0;
        // Near-duplicates merge into the memory they repeat, so top up until the user holds the count asked for.
        for (var pass = 0; pass < 5 && stored < count; pass++)
        {
            var texts = Enumerable.Range(0, count - stored)
                .Select(_ => "The user mentioned " + string.Join(' ', Enumerable.Range(0, 6).Select(_ => Words[random.Next(Words.Length)]))).ToList();
            await Parallel.ForEachAsync(texts, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (text, ct) => await user.AddMemoryAsync(text, cancellationToken: ct));
            stored = (await user.GetStatsAsync()).MemoryCount;
        }

        Console.WriteLine($"seeded in {Stopwatch.GetElapsedTime(start).TotalSeconds:F0} s");
        return stored;
    }

    private static async Task McpAgainstHttpAsync(Uri address, int calls)
    {
        using var http = new HttpClient { BaseAddress = address };
        await using var mcp = await McpClient.CreateAsync(new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(address, "/mcp"), TransportMode = HttpTransportMode.StreamableHttp }));
        var i = 0;
        async Task Http()
        {
            using var response = await http.PostAsJsonAsync($"/v1/users/{User}/memories/search", new { query = Questions[i++ % Questions.Length], top_k = 5 });
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
        }

        async Task Mcp()
        {
            var result = await mcp.CallToolAsync("search_memories", new Dictionary<string, object?> { ["query"] = Questions[i++ % Questions.Length], ["user_id"] = User, ["top_k"] = 5 });
            if (result.IsError == true)
            {
                throw new InvalidOperationException("search_memories failed");
            }
        }

        var (httpTimes, mcpTimes) = await AlternateAsync(Http, Mcp, calls);
        Console.WriteLine();
        Console.WriteLine("| search, top 5 | p50 ms | p99 ms |");
        Console.WriteLine("|---|---:|---:|");
        Print("HTTP `POST /v1/users/{id}/memories/search` (baseline)", httpTimes);
        Print("MCP `search_memories`", mcpTimes);
        Console.WriteLine($"MCP / HTTP p50: {Percentile(mcpTimes, 0.5) / Percentile(httpTimes, 0.5):F2} (target <= 1.3)");
    }

    private static async Task ProviderAgainstNoneAsync(int gateway, int calls)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(c => c.UseLocalhostClustering(gateway, "orleansmemory", "dev"));
        builder.Services.AddOrleansMemory();
        using var host = builder.Build();
        await host.StartAsync();
        var model = new InstantChatClient();
        var plain = new ChatClientAgent(model, new ChatClientAgentOptions());
        var withMemory = new ChatClientAgent(model, new ChatClientAgentOptions { AIContextProviders = [host.Services.GetRequiredService<OrleansMemoryProvider>()] });
        AgentSession? plainSession = null, memorySession = null;
        int plainRuns = 0, memoryRuns = 0, q = 0;

        // A session per ten runs on both sides (a short conversation); the memory side's scope is the seeded user.
        async Task Plain()
        {
            if (plainRuns++ % 10 == 0)
            {
                plainSession = await plain.CreateSessionAsync();
            }

            await plain.RunAsync(Questions[q++ % Questions.Length], plainSession);
        }

        async Task Memory()
        {
            if (memoryRuns++ % 10 == 0)
            {
                memorySession = (await withMemory.CreateSessionAsync()).SetOrleansMemoryScope(new OrleansMemoryScope(User, "default"));
            }

            await withMemory.RunAsync(Questions[q++ % Questions.Length], memorySession);
            if (model.LastInput.Count < 2)
            {
                throw new InvalidOperationException("no memories were injected");
            }
        }

        var (none, provider) = await AlternateAsync(Plain, Memory, calls);
        Console.WriteLine();
        Console.WriteLine("| agent run (instant stand-in model) | p50 ms | p99 ms |");
        Console.WriteLine("|---|---:|---:|");
        Print("`ChatClientAgent`, no provider (baseline)", none);
        Print("with `OrleansMemoryProvider` (recall top 5, record exchange)", provider);
        Console.WriteLine($"added by the provider: p50 {Percentile(provider, 0.5) - Percentile(none, 0.5):F2} ms, p99 {Percentile(provider, 0.99) - Percentile(none, 0.99):F2} ms");
        await host.StopAsync();
    }

    /// <summary>Warms both up, then runs 5 rounds of <paramref name="calls"/>/5 calls each, alternating; milliseconds per call.</summary>
    private static async Task<(List<double> A, List<double> B)> AlternateAsync(Func<Task> a, Func<Task> b, int calls)
    {
        for (var w = 0; w < 30; w++)
        {
            await a();
            await b();
        }

        List<double> aTimes = [], bTimes = [];
        for (var round = 0; round < 5; round++)
        {
            foreach (var (call, times) in new[] { (a, aTimes), (b, bTimes) })
            {
                for (var c = 0; c < calls / 5; c++)
                {
                    var start = Stopwatch.GetTimestamp();
                    await call();
                    times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
            }
        }

        return (aTimes, bTimes);
    }

    private static void Print(string name, List<double> times) =>
        Console.WriteLine($"| {name} | {Percentile(times, 0.5):F2} | {Percentile(times, 0.99):F2} |");

    private static double Percentile(List<double> times, double p)
    {
        var sorted = times.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    /// <summary>A model that answers at once, so the figures are the agent's and the provider's own.</summary>
    private sealed class InstantChatClient : IChatClient
    {
        public IReadOnlyList<ChatMessage> LastInput { get; private set; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            LastInput = [.. messages];
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "OK.")));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
