using System.Text.Json;

namespace OrleansMemory.Silo.Tests;

/// <summary>The Idempotency-Key header on every write route that takes it: a retry answers with the same status and
/// body and stores nothing; the same key with another body is 422; a malformed key is 400.</summary>
[Collection(SiloCollection.Name)]
public sealed class IdempotencyApiTests(SiloFactory silo)
{
    private static readonly string[] BadKeys = [new string('k', 201), "tab\tinside", "del\u007f"];

    [Fact]
    public async Task Memory_add_retried_with_its_key_answers_the_same_and_stores_once()
    {
        var client = silo.Client();
        var user = Http.NewId("user");
        var url = $"/v1/users/{user}/memories";
        const string body = """{"text":"Prefers window seats","embedding":[1,0,0],"importance":0.7}""";
        var first = await SendAsync(client, HttpMethod.Post, url, body, "add-1");
        Assert.Equal(201, first.Status);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(first, await SendAsync(client, HttpMethod.Post, url, body, "add-1"));
        }

        Assert.Equal(1, (await client.GetAsync($"/v1/users/{user}/stats").Expect(200)).GetProperty("memory_count").GetInt32());
        var memory = JsonDocument.Parse(first.Body).RootElement.GetProperty("memory");
        Assert.Equal(1, memory.GetProperty("mention_count").GetInt32());

        var reused = await SendAsync(client, HttpMethod.Post, url, """{"text":"Prefers aisle seats","embedding":[0,1,0]}""", "add-1");
        Assert.Equal(422, reused.Status);
        Assert.Contains("Idempotency-Key", reused.Body, StringComparison.Ordinal);
        Assert.Contains("different request", reused.Body, StringComparison.Ordinal);
        foreach (var bad in BadKeys)
        {
            var refused = await SendAsync(client, HttpMethod.Post, url, """{"text":"Other","embedding":[0,0,1]}""", bad);
            Assert.Equal(400, refused.Status);
            Assert.Contains("Idempotency-Key", refused.Body, StringComparison.Ordinal);
        }

        Assert.Equal(1, (await client.GetAsync($"/v1/users/{user}/stats").Expect(200)).GetProperty("memory_count").GetInt32());

        // A duplicate: the retry replays "duplicate" with the same similarity and counts the mention once.
        const string again = """{"text":"Prefers window seats","embedding":[0.99,0.14,0]}""";
        var duplicate = await SendAsync(client, HttpMethod.Post, url, again, "add-2");
        Assert.Equal(200, duplicate.Status);
        Assert.Equal(duplicate, await SendAsync(client, HttpMethod.Post, url, again, "add-2"));
        Assert.Equal(2, JsonDocument.Parse(duplicate.Body).RootElement.GetProperty("memory").GetProperty("mention_count").GetInt32());
    }

    [Fact]
    public async Task Import_retried_with_its_key_returns_the_same_ids()
    {
        var client = silo.Client();
        var user = Http.NewId("user");
        var url = $"/v1/users/{user}/memories/import";
        const string body = """{"memories":[{"text":"one","embedding":[1,0,0]},{"text":"two","embedding":[0,1,0]}]}""";
        var first = await SendAsync(client, HttpMethod.Post, url, body, "import-1");
        Assert.Equal(200, first.Status);
        Assert.Equal(first, await SendAsync(client, HttpMethod.Post, url, body, "import-1"));
        Assert.Equal(2, (await client.GetAsync($"/v1/users/{user}/stats").Expect(200)).GetProperty("memory_count").GetInt32());
        Assert.Equal(422, (await SendAsync(client, HttpMethod.Post, url, """{"memories":[{"text":"one","embedding":[1,0,0]}]}""", "import-1")).Status);
        Assert.Equal(400, (await SendAsync(client, HttpMethod.Post, url, body, new string('x', 201))).Status);
    }

    [Fact]
    public async Task Cache_writes_retried_with_their_keys_do_not_overwrite_newer_values()
    {
        var client = silo.Client();
        var url = $"/v1/cache/{Http.NewId("gen")}";
        Assert.Equal(204, (await SendAsync(client, HttpMethod.Put, url, """{"value":"v1","ttl_seconds":600}""", "put-1")).Status);
        Assert.Equal(204, (await SendAsync(client, HttpMethod.Put, url, """{"value":"v2"}""", null)).Status);
        Assert.Equal((204, ""), await SendAsync(client, HttpMethod.Put, url, """{"value":"v1","ttl_seconds":600}""", "put-1"));
        Assert.Equal("v2", (await client.GetAsync(url).Expect(200)).GetProperty("value").GetString());
        Assert.Equal(422, (await SendAsync(client, HttpMethod.Put, url, """{"value":"v3"}""", "put-1")).Status);

        Assert.Equal(204, (await SendAsync(client, HttpMethod.Delete, url, null, "delete-1")).Status);
        await client.GetAsync(url).ExpectProblem(404);
        Assert.Equal(204, (await SendAsync(client, HttpMethod.Put, url, """{"value":"v4"}""", null)).Status);
        Assert.Equal(204, (await SendAsync(client, HttpMethod.Delete, url, null, "delete-1")).Status);
        Assert.Equal("v4", (await client.GetAsync(url).Expect(200)).GetProperty("value").GetString());
        Assert.Equal(400, (await SendAsync(client, HttpMethod.Delete, url, null, "tab\tinside")).Status);
        Assert.Equal(400, (await SendAsync(client, HttpMethod.Put, url, """{"value":"v5"}""", new string('k', 201))).Status);
        Assert.Equal("v4", (await client.GetAsync(url).Expect(200)).GetProperty("value").GetString());
    }

    [Fact]
    public async Task System_state_writes_retried_with_their_keys_are_applied_once()
    {
        var client = silo.Client();
        var url = $"/v1/system/state/{Http.NewId("state")}";
        Assert.Equal(204, (await SendAsync(client, HttpMethod.Put, url, """{"n":1}""", "s-1")).Status);
        Assert.Equal(204, (await SendAsync(client, HttpMethod.Put, url, """{"n":2}""", null)).Status);
        Assert.Equal(204, (await SendAsync(client, HttpMethod.Put, url, """{"n":1}""", "s-1")).Status);
        Assert.Equal(2, (await client.GetAsync(url).Expect(200)).GetProperty("n").GetInt32());
        Assert.Equal(422, (await SendAsync(client, HttpMethod.Put, url, """{"n":3}""", "s-1")).Status);
        Assert.Equal(204, (await SendAsync(client, HttpMethod.Delete, url, null, "d-1")).Status);
        Assert.Equal(204, (await SendAsync(client, HttpMethod.Put, url, """{"n":4}""", null)).Status);
        Assert.Equal(204, (await SendAsync(client, HttpMethod.Delete, url, null, "d-1")).Status);
        Assert.Equal(4, (await client.GetAsync(url).Expect(200)).GetProperty("n").GetInt32());
        Assert.Equal(400, (await SendAsync(client, HttpMethod.Put, url, """{"n":5}""", "tab\tinside")).Status);
    }

    [Fact]
    public async Task Chain_append_retried_with_its_key_is_stored_once()
    {
        var client = silo.Client();
        var url = $"/v1/agents/{Http.NewId("agent")}/reasoning-chains";
        const string body = """{"goal":"weather","steps":[{"kind":"thought","content":"Look it up."},{"kind":"final_answer","content":"Sunny"}]}""";
        var first = await SendAsync(client, HttpMethod.Post, url, body, "chain-1");
        Assert.Equal(201, first.Status);
        Assert.Equal(first, await SendAsync(client, HttpMethod.Post, url, body, "chain-1"));
        Assert.Equal(1, (await client.GetAsync(url).Expect(200)).GetProperty("chains").GetArrayLength());
        Assert.Equal(422, (await SendAsync(client, HttpMethod.Post, url, body.Replace("Sunny", "Rain", StringComparison.Ordinal), "chain-1")).Status);
        Assert.Equal(400, (await SendAsync(client, HttpMethod.Post, url, body, new string('k', 201))).Status);
        Assert.Equal(1, (await client.GetAsync(url).Expect(200)).GetProperty("chains").GetArrayLength());
    }

    [Fact]
    public async Task Conflict_resolution_retried_with_its_key_answers_the_resolved_conflict()
    {
        var client = silo.Client();
        var user = Http.NewId("user");
        await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"I live in Paris","embedding":[1,0,0]}""")).Expect(201);
        var added = await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"I live in Rome","embedding":[0.9,0.3,0]}""")).Expect(201);
        var conflictId = Assert.Single(added.GetProperty("conflicts").EnumerateArray()).GetProperty("id").GetString();
        var url = $"/v1/users/{user}/conflicts/{conflictId}/resolve";
        var first = await SendAsync(client, HttpMethod.Post, url, """{"kind":"keep_b","reason":"moved"}""", "r-1");
        Assert.Equal(200, first.Status);
        Assert.Equal(first, await SendAsync(client, HttpMethod.Post, url, """{"kind":"keep_b","reason":"moved"}""", "r-1"));
        Assert.Equal(422, (await SendAsync(client, HttpMethod.Post, url, """{"kind":"keep_a"}""", "r-1")).Status);
        Assert.Equal(400, (await SendAsync(client, HttpMethod.Post, url, """{"kind":"keep_b"}""", null)).Status); // without a key: already resolved
        Assert.Equal(400, (await SendAsync(client, HttpMethod.Post, url, """{"kind":"keep_b"}""", new string('k', 201))).Status);
    }

    private static async Task<(int Status, string Body)> SendAsync(HttpClient client, HttpMethod method, string url, string? json, string? key)
    {
        using var request = new HttpRequestMessage(method, url) { Content = json is null ? null : Http.Body(json) };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
