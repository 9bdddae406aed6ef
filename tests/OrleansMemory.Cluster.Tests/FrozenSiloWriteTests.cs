using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansMemory.VectorIndex.Tests;
using Xunit.Abstractions;

namespace OrleansMemory.Cluster.Tests;

/// <summary>The probe of issue 23 as a test: three silo processes on PostgreSQL membership and storage, 8 writers
/// appending messages (with message ids) and adding memories (with an Idempotency-Key) through HTTP, each request to
/// the next silo in turn, while one silo is frozen with SIGSTOP for 20 s and then resumed. Every write answered 5xx or
/// not answered in time is retried with its id or key, at the next silo, until acknowledged. Then every write is
/// stored exactly once, and each writer's messages are in the order it sent them.</summary>
[RequiresServer(TestServers.Postgres)]
public sealed class FrozenSiloWriteTests(ITestOutputHelper output)
{
    private const int Writers = 8;
    private const int Targets = 4; // conversations and users, each shared by two writers
    private const int Dimension = 64;

    /// <summary>Answers other than a 2xx or an unknown outcome, by status and title (and exception for a 500).</summary>
    private readonly ConcurrentDictionary<string, int> _otherAnswers = new(StringComparer.Ordinal);

    private static string Postgres => TestServers.Require(TestServers.Postgres);

    [ServerFact]
    public async Task Writes_retried_with_their_keys_across_a_frozen_silo_are_stored_once_in_order()
    {
        var serviceId = "frozenw-" + Guid.NewGuid().ToString("N")[..8];
        await SiloCluster.RunAsync("wsilo", SiloCluster.OnPostgres(serviceId, Postgres), output, async silos =>
        {
            var prefix = serviceId + "-";
            var run = await WriteWhileFreezingAsync(silos, silos[1], prefix);
            using var http = new HttpClient { BaseAddress = silos[0].BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            await AssertStoredOnceInOrderAsync(http, prefix, run);
        });
    }

    private async Task<Run> WriteWhileFreezingAsync(IReadOnlyList<SiloProcess> silos, SiloProcess victim, string prefix)
    {
        var clients = silos.Select(s => new HttpClient { BaseAddress = s.BaseAddress, Timeout = TimeSpan.FromSeconds(4) }).ToArray();
        var sent = new ConcurrentDictionary<int, List<string>>();
        var memories = new ConcurrentDictionary<int, List<string>>();
        long retries = 0, unknown = 0, errors = 0;
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            var messages = sent[w] = [];
            var added = memories[w] = [];
            var next = w;
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var id = $"w{w}-m{n}";
                var messageBody = JsonSerializer.Serialize(new { messages = new[] { new { id, role = "user", content = "message " + id } } });
                var (r1, u1, e1) = await UntilAcknowledgedAsync(clients, () => next++, $"/v1/conversations/{prefix}c{w % Targets}/messages", messageBody, null);
                messages.Add(id);
                var text = $"writer {w} memory {n}";
                var memoryBody = JsonSerializer.Serialize(new { text, embedding = Vectors.Random(Dimension, random) });
                var (r2, u2, e2) = await UntilAcknowledgedAsync(clients, () => next++, $"/v1/users/{prefix}u{w % Targets}/memories", memoryBody, $"{prefix}w{w}-k{n}");
                added.Add(text);
                Interlocked.Add(ref retries, r1 + r2);
                Interlocked.Add(ref unknown, u1 + u2);
                Interlocked.Add(ref errors, e1 + e2);
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(4));
        var before = sent.Values.Sum(l => l.Count);
        victim.Freeze();
        output.WriteLine($"froze {victim.Name} after {before} acknowledged appends");
        await Task.Delay(TimeSpan.FromSeconds(20));
        victim.Thaw();
        var during = sent.Values.Sum(l => l.Count) - before;
        await Task.Delay(TimeSpan.FromSeconds(6));
        await stop.CancelAsync();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(120));
        foreach (var client in clients)
        {
            client.Dispose();
        }

        var run = new Run(sent.ToDictionary(p => p.Key, p => p.Value), memories.ToDictionary(p => p.Key, p => p.Value));
        output.WriteLine($"{run.Messages.Values.Sum(l => l.Count)} appends and {run.Memories.Values.Sum(l => l.Count)} memory adds acknowledged " +
            $"({during} appends while frozen); {retries} retries: {unknown} after no answer or a 503/504 with \"outcome\":\"unknown\", {errors} after another 5xx or a 409");
        output.WriteLine("other answers: " + (_otherAnswers.IsEmpty ? "none" : string.Join("; ", _otherAnswers.Select(p => $"{p.Value} x {p.Key}"))));
        Assert.True(during > 0, "no write was acknowledged while a silo was frozen");
        Assert.DoesNotContain(_otherAnswers.Keys, k => k.StartsWith("500", StringComparison.Ordinal)); // an outage is never a 500
        Assert.True(retries > 0, "no write needed a retry: the freeze was not felt");
        return run;
    }

    /// <summary>Sends until a 2xx, each attempt to the next silo; returns the retries, how many of them followed an
    /// unknown outcome (no answer, or a 503/504 saying so) and how many another 5xx or a 409 (a stale activation refused on
/// its ETag). Another 4xx fails the test.</summary>
    private async Task<(int Retries, int Unknown, int Errors)> UntilAcknowledgedAsync(HttpClient[] clients, Func<int> next, string path, string body, string? key)
    {
        var deadline = Stopwatch.StartNew();
        int unknown = 0, errors = 0;
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            if (key is not null)
            {
                request.Headers.Add("Idempotency-Key", key);
            }

            try
            {
                using var response = await clients[next() % clients.Length].SendAsync(request);
                if (response.IsSuccessStatusCode)
                {
                    return (attempt, unknown, errors);
                }

                var problem = await response.Content.ReadAsStringAsync();
                // 409: a stale activation (the resumed silo before it learns it was declared dead) lost on its ETag; nothing was stored.
                Assert.True((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.Conflict, $"{(int)response.StatusCode} on {path}: {problem}");
                if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
                    && problem.Contains("\"outcome\":\"unknown\"", StringComparison.Ordinal))
                {
                    unknown++;
                }
                else
                {
                    errors++;
                    using var json = JsonDocument.Parse(problem.Length > 0 ? problem : "{}");
                    var title = json.RootElement.TryGetProperty("title", out var t) ? t.GetString() : "(no body)";
                    _otherAnswers.AddOrUpdate($"{(int)response.StatusCode} {title}", 1, (_, n) => n + 1);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                unknown++; // no answer in time (the frozen silo's own endpoint), or a refused connection
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(90), $"{path} was not acknowledged within 90 s");
            await Task.Delay(100);
        }
    }

    private async Task AssertStoredOnceInOrderAsync(HttpClient http, string prefix, Run run)
    {
        for (var t = 0; t < Targets; t++)
        {
            var stored = new List<string>();
            for (long after = 0; ;)
            {
                var page = await http.GetFromJsonAsync<JsonElement>($"/v1/conversations/{prefix}c{t}/messages?after={after}&limit=1000");
                var items = page.GetProperty("messages").EnumerateArray().ToList();
                stored.AddRange(items.Select(m => m.GetProperty("id").GetString()!));
                if (items.Count == 0 || !page.GetProperty("has_more").GetBoolean())
                {
                    break;
                }

                after = items[^1].GetProperty("sequence").GetInt64();
            }

            var writers = Enumerable.Range(0, Writers).Where(w => w % Targets == t).ToList();
            var expected = writers.SelectMany(w => run.Messages[w]).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(stored.Count, stored.Distinct(StringComparer.Ordinal).Count()); // exactly one copy of each
            Assert.Equal(expected, stored.ToHashSet(StringComparer.Ordinal)); // every write (each was retried until acknowledged)
            foreach (var w in writers)
            {
                // In sequence order, each writer's messages are in the order it sent them.
                Assert.Equal(run.Messages[w], stored.Where(id => id.StartsWith($"w{w}-", StringComparison.Ordinal)));
            }

            var texts = new List<string>();
            for (var offset = 0; ; offset += 1000)
            {
                var page = await http.GetFromJsonAsync<JsonElement>($"/v1/users/{prefix}u{t}/memories?offset={offset}&limit=1000&include_archived=true");
                var items = page.GetProperty("memories").EnumerateArray().Select(m => m.GetProperty("text").GetString()!).ToList();
                texts.AddRange(items);
                if (items.Count < 1000)
                {
                    break;
                }
            }

            var added = writers.SelectMany(w => run.Memories[w]).ToList();
            Assert.Equal(texts.Count, texts.Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(added.ToHashSet(StringComparer.Ordinal), texts.ToHashSet(StringComparer.Ordinal));
            output.WriteLine($"conversation c{t}: {stored.Count} messages for {expected.Count} acknowledged; user u{t}: {texts.Count} memories for {added.Count} acknowledged");
        }
    }

    private sealed record Run(IReadOnlyDictionary<int, List<string>> Messages, IReadOnlyDictionary<int, List<string>> Memories);
}
