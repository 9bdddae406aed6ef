using System.Text.Json;

namespace OrleansMemory.Silo.Tests;

/// <summary>One valid call of every <c>/v1</c> route of docs/http-api.md for one user, conversation, agent, cache key and
/// state key, every text carrying <see cref="Text"/>: the memory and conflict ids later calls need are taken from
/// earlier answers (placeholders when those failed). Used to call every route while storage is down and to flood the
/// logs with marked data.</summary>
/// <param name="User">The user id.</param>
/// <param name="Conversation">The conversation id.</param>
/// <param name="Agent">The agent id.</param>
/// <param name="CacheKey">The cache key.</param>
/// <param name="StateKey">The system state key.</param>
/// <param name="Text">A marker every text, value and metadata value sent carries.</param>
public sealed record RouteWalk(string User, string Conversation, string Agent, string CacheKey, string StateKey, string Text)
{
    /// <summary>One answered call: the route's template, its URL and status and body.</summary>
    public sealed record Answer(string Method, string Template, int Status, string Body, string? RetryAfter)
    {
        /// <summary>Whether the route writes (not GET).</summary>
        public bool IsWrite => Method != "GET";

        public override string ToString() => $"{Method} {Template}: {Status} {Body}";
    }

    /// <summary>Calls every route once, in an order where writes come before the reads of what they wrote, and returns
    /// the answers; the memory and conflict ids come from the answers of the adds (<paramref name="memory"/> and
    /// <paramref name="conflict"/> when they gave none). With <paramref name="concurrently"/> every call is sent at once
    /// (no ids taken from answers): for a silo whose calls wait on a stopped server.</summary>
    public async Task<IReadOnlyList<Answer>> RunAsync(HttpClient client, bool concurrently = false, string memory = "memory-1", string conflict = "conflict-1")
    {
        const string chunk = "chunk-1";
        var u = $"/v1/users/{User}";
        var c = $"/v1/conversations/{Conversation}";
        var a = $"/v1/agents/{Agent}";
        var t = Text;
        var now = DateTimeOffset.UtcNow.ToString("O");
        string memoryId = memory, conflictId = conflict;
        var plan = new List<(string Method, string Template, Func<string> Url, Func<string?> Body, Action<JsonElement>? Then)>();

        void Call(string method, string template, Func<string> url, Func<string?>? body = null, Action<JsonElement>? then = null) =>
            plan.Add((method, template, url, body ?? (() => null), then));

        async Task<Answer> SendAsync((string Method, string Template, Func<string> Url, Func<string?> Body, Action<JsonElement>? Then) call)
        {
            using var request = new HttpRequestMessage(new HttpMethod(call.Method), call.Url());
            if (call.Body() is { } body)
            {
                request.Content = Http.Body(body);
            }

            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (call.Then is not null && text.Length > 0 && text[0] == '{')
            {
                try
                {
                    call.Then(JsonDocument.Parse(text).RootElement.Clone());
                }
                catch (JsonException)
                {
                    // Not JSON: the id stays the placeholder.
                }
            }

            return new Answer(call.Method, call.Template, (int)response.StatusCode, text, response.Headers.RetryAfter?.ToString());
        }

        // Users: two memories that contradict each other (a conflict), then everything else on them.
        Call("POST", "/v1/users/{userId}/memories", () => $"{u}/memories",
            () => $$"""{"text":"{{t}} lives in Paris","embedding":[1,0,0],"type":"fact","importance":0.8,"metadata":{"note":"{{t}}"} }""",
            answer => memoryId = Find(answer, "id") ?? memoryId);
        Call("POST", "/v1/users/{userId}/memories", () => $"{u}/memories", () => $$"""{"text":"{{t}} lives in Rome","embedding":[0.85,0.5,0]}""",
            answer => conflictId = Find(answer, "conflict_ids") ?? conflictId);
        Call("POST", "/v1/users/{userId}/memories/import", () => $"{u}/memories/import", () => $$"""{"memories":[{"text":"{{t}} imported","embedding":[0,1,0],"metadata":{"note":"{{t}}"} }]}""");
        Call("POST", "/v1/users/{userId}/memories/search", () => $"{u}/memories/search", () => """{"embedding":[1,0,0],"top_k":3}""");
        Call("GET", "/v1/users/{userId}/memories", () => $"{u}/memories");
        Call("GET", "/v1/users/{userId}/memories/{memoryId}", () => $"{u}/memories/{memoryId}");
        Call("PATCH", "/v1/users/{userId}/memories/{memoryId}", () => $"{u}/memories/{memoryId}", () => $$"""{"text":"{{t}} lives in Lyon","embedding":[1,0.05,0],"reason":"{{t}}"}""");
        Call("GET", "/v1/users/{userId}/memories/{memoryId}/embedding", () => $"{u}/memories/{memoryId}/embedding");
        Call("GET", "/v1/users/{userId}/memories/{memoryId}/history", () => $"{u}/memories/{memoryId}/history");
        Call("GET", "/v1/users/{userId}/conflicts", () => $"{u}/conflicts");
        Call("GET", "/v1/users/{userId}/conflicts/pending", () => $"{u}/conflicts/pending");
        Call("POST", "/v1/users/{userId}/conflicts/{conflictId}/escalate", () => $"{u}/conflicts/{conflictId}/escalate", () => $$"""{"reason":"{{t}}"}""");
        Call("POST", "/v1/users/{userId}/conflicts/{conflictId}/resolve", () => $"{u}/conflicts/{conflictId}/resolve", () => $$"""{"kind":"merge","merged_text":"{{t}} lives in Paris and Rome","merged_embedding":[0.9,0.3,0],"reason":"{{t}}"}""");
        Call("POST", "/v1/users/{userId}/memories/{memoryId}/archive", () => $"{u}/memories/{memoryId}/archive", () => $$"""{"reason":"{{t}}"}""");
        Call("POST", "/v1/users/{userId}/short-term", () => $"{u}/short-term", () => $$"""{"messages":[{"role":"user","content":"{{t}} short","timestamp":"{{now}}"}]}""");
        Call("GET", "/v1/users/{userId}/short-term", () => $"{u}/short-term");
        Call("PUT", "/v1/users/{userId}/short-term/capacity", () => $"{u}/short-term/capacity", () => """{"max_messages":50}""");
        Call("DELETE", "/v1/users/{userId}/short-term", () => $"{u}/short-term");
        Call("PUT", "/v1/users/{userId}/retention", () => $"{u}/retention", () => """{"max_history_events":100}""");
        Call("GET", "/v1/users/{userId}/retention", () => $"{u}/retention");
        Call("GET", "/v1/users/{userId}/stats", () => $"{u}/stats");
        Call("DELETE", "/v1/users/{userId}/memories/{memoryId}", () => $"{u}/memories/{memoryId}");

        // Conversations.
        Call("PUT", "/v1/conversations/{conversationId}/document", () => $"{c}/document", () => $$"""{"title":"{{t}}","user":"{{User}}"}""");
        Call("GET", "/v1/conversations/{conversationId}/document", () => $"{c}/document");
        Call("POST", "/v1/conversations/{conversationId}/messages", () => $"{c}/messages", () => $$"""{"messages":[{"id":"{{t}}-m1","role":"user","content":"{{t}} said hello","name":"{{t}}"},{"id":"{{t}}-m2","role":"assistant","content":"{{t}} answered"}]}""");
        Call("PUT", "/v1/conversations/{conversationId}/messages", () => $"{c}/messages", () => $$"""{"messages":[{"id":"{{t}}-m1","role":"user","content":"{{t}} said hello"}]}""");
        Call("GET", "/v1/conversations/{conversationId}/messages", () => $"{c}/messages?after=0&limit=10");
        Call("GET", "/v1/conversations/{conversationId}/messages/range", () => $"{c}/messages/range?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z");
        Call("PUT", "/v1/conversations/{conversationId}/chunks", () => $"{c}/chunks", () => $$"""{"chunks":[{"chunk_id":"{{chunk}}","start_sequence":1,"end_sequence":1,"content":{"summary":"{{t}}"} }]}""");
        Call("GET", "/v1/conversations/{conversationId}/chunks", () => $"{c}/chunks");
        Call("GET", "/v1/conversations/{conversationId}/chunks/{chunkId}", () => $"{c}/chunks/{chunk}");
        Call("POST", "/v1/conversations/{conversationId}/memory-records", () => $"{c}/memory-records", () => $$"""{"memory_id":"{{memoryId}}","source_start_sequence":1,"source_end_sequence":1,"content":"{{t}} formed","user_id":"{{User}}"}""");
        Call("GET", "/v1/conversations/{conversationId}/memory-records", () => $"{c}/memory-records");
        Call("PUT", "/v1/conversations/{conversationId}/formation", () => $"{c}/formation", () => $$"""{"user_id":"{{User}}","instructions":"{{t}}"}""");
        Call("GET", "/v1/conversations/{conversationId}/formation", () => $"{c}/formation");
        Call("DELETE", "/v1/conversations/{conversationId}/formation", () => $"{c}/formation");
        Call("GET", "/v1/conversations/{conversationId}/stats", () => $"{c}/stats");
        Call("GET", "/v1/conversations", () => "/v1/conversations");

        // Agents.
        Call("POST", "/v1/agents/{agentId}/reasoning-chains", () => $"{a}/reasoning-chains", () => $$"""{"chain_id":"{{t}}-chain","conversation_id":"{{Conversation}}","goal":"{{t}}","steps":[{"kind":"thought","content":"{{t}} thinks"}]}""");
        Call("GET", "/v1/agents/{agentId}/reasoning-chains", () => $"{a}/reasoning-chains");
        Call("GET", "/v1/agents/{agentId}/memory-context", () => $"{a}/memory-context?max_tokens=500");
        Call("POST", "/v1/agents/{agentId}/conversations", () => $"{a}/conversations", () => $$"""{"conversation_id":"{{Conversation}}"}""");
        Call("GET", "/v1/agents/{agentId}/conversations", () => $"{a}/conversations");
        Call("GET", "/v1/agents/{agentId}/stats", () => $"{a}/stats");
        Call("DELETE", "/v1/agents/{agentId}/reasoning-chains", () => $"{a}/reasoning-chains");

        // Cache and state.
        Call("PUT", "/v1/cache/{cacheKey}", () => $"/v1/cache/{CacheKey}", () => $$"""{"value":{"text":"{{t}} cached"},"ttl_seconds":3600}""");
        Call("GET", "/v1/cache/{cacheKey}", () => $"/v1/cache/{CacheKey}");
        Call("GET", "/v1/cache/{cacheKey}/stats", () => $"/v1/cache/{CacheKey}/stats");
        Call("PUT", "/v1/system/state/{stateKey}", () => $"/v1/system/state/{StateKey}", () => $$"""{"note":"{{t}} state"}""");
        Call("GET", "/v1/system/state/{stateKey}", () => $"/v1/system/state/{StateKey}");
        if (concurrently)
        {
            return await Task.WhenAll(plan.Select(SendAsync));
        }

        var answers = new List<Answer>();
        foreach (var call in plan)
        {
            answers.Add(await SendAsync(call));
        }

        return answers;
    }

    /// <summary>The deleting calls (after <see cref="RunAsync"/>): conversation, agent, cache entry, state, user.</summary>
    public async Task<IReadOnlyList<Answer>> DeleteAsync(HttpClient client, HttpClient admin)
    {
        var answers = new List<Answer>();
        foreach (var (http, template, url) in new[]
                 {
                     (client, "/v1/conversations/{conversationId}", $"/v1/conversations/{Conversation}"),
                     (client, "/v1/agents/{agentId}", $"/v1/agents/{Agent}"),
                     (client, "/v1/cache/{cacheKey}", $"/v1/cache/{CacheKey}"),
                     (client, "/v1/system/state/{stateKey}", $"/v1/system/state/{StateKey}"),
                     (admin, "/v1/users/{userId}", $"/v1/users/{User}"),
                 })
        {
            using var response = await http.DeleteAsync(url);
            answers.Add(new Answer("DELETE", template, (int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.RetryAfter?.ToString()));
        }

        return answers;
    }

    /// <summary>The first string (or first element of a string array) named <paramref name="name"/> anywhere in the JSON.</summary>
    private static string? Find(JsonElement element, string name)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.NameEquals(name))
                    {
                        if (property.Value.ValueKind == JsonValueKind.String)
                        {
                            return property.Value.GetString();
                        }

                        if (property.Value.ValueKind == JsonValueKind.Array && property.Value.GetArrayLength() > 0
                            && property.Value[0].ValueKind == JsonValueKind.String)
                        {
                            return property.Value[0].GetString();
                        }
                    }

                    if (Find(property.Value, name) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item, name) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
