using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Spectre.Console;

namespace OrleansMemory.Cli.Load;

/// <summary>One load run: <c>users</c> workers, each a simulated agent session with its own user, conversation and
/// agent, issuing operations of the mix back to back until the time is up.</summary>
public sealed class LoadRun(IReadOnlyList<Uri> targets, int users, LoadMix mix, string? apiKey, int dimension)
{
    private readonly Dictionary<string, OperationStats> _stats = mix.Weights.Select(w => w.Operation).Append("add_memory").Distinct()
        .ToDictionary(o => o, _ => new OperationStats(), StringComparer.Ordinal);

    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private int _next;

    /// <summary>Runs for <paramref name="duration"/> with a live progress display; returns the statistics per operation.</summary>
    public async Task<IReadOnlyDictionary<string, OperationStats>> ExecuteAsync(IAnsiConsole console, TimeSpan duration, CancellationToken cancellationToken) =>
        await ExecuteAsync(console, duration, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);

    /// <summary>Runs like <see cref="ExecuteAsync(IAnsiConsole, TimeSpan, CancellationToken)"/>; a request without an
    /// answer within <paramref name="requestTimeout"/>, or that cannot connect, counts as an error of its operation.</summary>
    public async Task<IReadOnlyDictionary<string, OperationStats>> ExecuteAsync(IAnsiConsole console, TimeSpan duration, TimeSpan requestTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(users, 8),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = requestTimeout,
        };
        using var http = new HttpClient(handler) { Timeout = requestTimeout };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);
        var start = Stopwatch.GetTimestamp();
        await console.Progress().AutoClear(false).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"load ({mix.Name}, {users} users)", maxValue: duration.TotalSeconds);
                var workers = Enumerable.Range(0, users).Select(i => WorkerAsync(http, i, stop.Token)).ToList();
                while (!workers.All(w => w.IsCompleted))
                {
                    var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
                    var done = _stats.Values.Sum(s => s.Count);
                    task.Value = Math.Min(elapsed, duration.TotalSeconds);
                    task.Description = string.Create(CultureInfo.InvariantCulture,
                        $"load ({mix.Name}, {users} users): {done} ops, {done / Math.Max(elapsed, 0.001):F0} ops/s, {_stats.Values.Sum(s => s.Errors)} errors");
                    await Task.WhenAny(Task.WhenAll(workers), Task.Delay(250, CancellationToken.None)).ConfigureAwait(false);
                }

                task.Value = task.MaxValue;
                await Task.WhenAll(workers).ConfigureAwait(false); // a worker that failed unexpectedly fails the run loudly
            }).ConfigureAwait(false);
        return _stats;
    }

    private async Task WorkerAsync(HttpClient http, int index, CancellationToken stop)
    {
        var random = new Random(index);
        var id = $"load-{_run}-{index}";
        await RunAsync(http, "add_memory", id, random, stop).ConfigureAwait(false);
        while (!stop.IsCancellationRequested)
        {
            await RunAsync(http, mix.Pick(random.Next(mix.TotalWeight)), id, random, stop).ConfigureAwait(false);
        }
    }

    private async Task RunAsync(HttpClient http, string operation, string id, Random random, CancellationToken stop)
    {
        var baseUri = targets[(int)((uint)Interlocked.Increment(ref _next) % targets.Count)];
        using var request = Request(operation, id, random, baseUri);
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, stop).ConfigureAwait(false);
            await response.Content.ReadAsByteArrayAsync(stop).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                _stats[operation].Success(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            else
            {
                _stats[operation].Failure($"{(int)response.StatusCode} from {request.RequestUri}");
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over; the call in flight is not counted.
        }
        catch (OperationCanceledException)
        {
            _stats[operation].Failure($"{request.RequestUri}: no answer within {http.Timeout.TotalSeconds:F0} s");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            _stats[operation].Failure($"{request.RequestUri}: {ex.Message}");
        }
    }

    private HttpRequestMessage Request(string operation, string id, Random random, Uri baseUri) => operation switch
    {
        "append_message" => Json(HttpMethod.Post, baseUri, $"v1/conversations/{id}/messages",
            $$"""{"messages":[{"role":"{{(random.Next(2) == 0 ? "user" : "assistant")}}","content":"{{Text(random, 30)}}"}]}"""),
        "read_messages" => new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, $"v1/conversations/{id}/messages?limit=20")),
        "short_term_add" => Json(HttpMethod.Post, baseUri, $"v1/users/{id}/short-term", $$"""{"messages":[{"role":"user","content":"{{Text(random, 12)}}"}]}"""),
        "memory_context" or "read_context" => new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, $"v1/agents/{id}/memory-context?max_tokens=1000")),
        "add_memory" => Json(HttpMethod.Post, baseUri, $"v1/users/{id}/memories", $$"""{"text":"{{Text(random, 10)}}","embedding":{{Embedding(random)}},"importance":0.5}"""),
        "search" => Json(HttpMethod.Post, baseUri, $"v1/users/{id}/memories/search", $$"""{"embedding":{{Embedding(random)}},"top_k":5}"""),
        "list_memories" => new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, $"v1/users/{id}/memories?limit=20")),
        _ => throw new InvalidOperationException("Unknown operation " + operation),
    };

    private static HttpRequestMessage Json(HttpMethod method, Uri baseUri, string path, string body) =>
        new(method, new Uri(baseUri, path)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private string Embedding(Random random)
    {
        var values = new string[dimension];
        for (var i = 0; i < dimension; i++)
        {
            values[i] = (random.NextDouble() * 2 - 1).ToString("F4", CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(',', values) + "]";
    }

    private static string Text(Random random, int words)
    {
        string[] vocabulary = ["the", "user", "likes", "green", "tea", "lives", "in", "paris", "works", "as", "a", "nurse", "has", "dog", "wants", "trip", "to", "rome", "next", "week"];
        return string.Join(' ', Enumerable.Range(0, words).Select(_ => vocabulary[random.Next(vocabulary.Length)]));
    }
}
