using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrleansMemory.Silo.Tests;

/// <summary>Every 4xx speaks the API's language: RFC 7807 problem+json, snake_case members, a trace id, no .NET type
/// names or framework hints; keys come back as sent; pending conflicts most important first.</summary>
[Collection(SiloCollection.Name)]
public sealed partial class ProblemBodyTests(SiloFactory silo)
{
    private static readonly string[] Leaks =
    [
        "System.", "OrleansMemory.", "Microsoft.", ".NET", "LineNumber", "BytePositionInLine", "Implicit body", "Did you mean",
        "parameter \"", "Exception", "tenant-a/", "OrleansMemory:",
    ];

    [Fact]
    public async Task Every_caller_mistake_is_a_snake_case_problem_without_type_names()
    {
        var client = silo.Client();
        var user = Http.NewId("user");
        var memories = $"/v1/users/{user}/memories";
        var cases = new (string Name, Func<Task<HttpResponseMessage>> Send, int Status)[]
        {
            ("mistyped value", () => client.PostAsync(memories, Http.Body("""{"text":"x","embedding":["a"]}""")), 400),
            ("unknown property", () => client.PostAsync(memories, Http.Body("""{"text":"x","embedding":[1],"colour":1}""")), 400),
            ("missing property", () => client.PostAsync(memories, Http.Body("""{"embedding":[1]}""")), 400),
            ("null text", () => client.PostAsync(memories, Http.Body("""{"text":null,"embedding":[1]}""")), 400),
            ("truncated json", () => client.PostAsync(memories, Http.Body("""{"text":"x","embedding":[1,0""")), 400),
            ("no body", () => client.PostAsync(memories, new StringContent("", System.Text.Encoding.UTF8, "application/json")), 400),
            ("not json", () => client.PostAsync(memories, new StringContent("x", System.Text.Encoding.UTF8, "text/plain")), 415),
            ("bad query value", () => client.GetAsync("/v1/conversations/c1/messages?limit=abc"), 400),
            ("bad id", () => client.GetAsync("/v1/users/has%20space/stats"), 400),
            ("over-long id", () => client.GetAsync($"/v1/users/{new string('u', 300)}/stats"), 400),
            ("over-long url", () => client.GetAsync($"/v1/users/{new string('u', 9000)}/stats"), 414),
            ("NUL in the query", () => client.GetAsync($"/v1/users/{user}/conflicts?status=a%00b"), 400),
            ("grain validation", () => client.PostAsync(memories, Http.Body("""{"text":"x","embedding":[1],"importance":7}""")), 400),
            ("unknown route", () => client.GetAsync("/v1/nothing-here"), 404),
            ("wrong method", () => client.PatchAsync("/v1/conversations", Http.Body("{}")), 405),
            ("no key", () => silo.Client(key: null).GetAsync("/v1/system"), 401),
            ("missing scope", () => silo.Client(SiloFactory.ReadOnlyA).PostAsync(memories, Http.Body("""{"text":"x","embedding":[1]}""")), 403),
            ("oversized body", () => client.PutAsync("/v1/conversations/c1/document", Http.Body($$"""{"t":"{{new string('x', SiloFactory.MaxBodyBytes)}}"}""")), 413),
            ("missing memory", () => client.GetAsync($"{memories}/nope"), 404),
        };

        foreach (var (name, send, status) in cases)
        {
            using var response = await send();
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == status, $"{name}: expected {status}, got {(int)response.StatusCode}: {body}");
            AssertProblem(name, response, body, status);
        }
    }

    [Fact]
    public async Task Input_names_in_errors_are_the_json_names()
    {
        var client = silo.Client();
        var user = Http.NewId("user");
        var problem = await Problem(client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"x","embedding":[1],"importance":7}""")), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("importance", out _), problem.GetRawText());
        problem = await Problem(client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"x","embedding":[1],"colour":1}""")), 400);
        Assert.Contains("'colour'", problem.GetProperty("detail").GetString());
        problem = await Problem(client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"embedding":[1]}""")), 400);
        Assert.Contains("'text'", problem.GetProperty("detail").GetString());
        problem = await Problem(client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"x","embedding":["a"]}""")), 400);
        Assert.Contains("$.embedding[0]", problem.GetProperty("detail").GetString());
        problem = await Problem(client.GetAsync("/v1/conversations/c1/messages?limit=abc"), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("limit", out _), problem.GetRawText());
        Assert.Equal("'abc' is not a valid value for limit.", problem.GetProperty("detail").GetString());
        problem = await Problem(client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":null,"embedding":[1]}""")), 400);
        Assert.Equal("$.text must not be null.", problem.GetProperty("detail").GetString());
        var messages = $"/v1/conversations/{Http.NewId("c")}/messages";
        problem = await Problem(client.PostAsync(messages, Http.Body("""{"messages":[{"role":"user","content":"hi","colour":1}]}""")), 400);
        Assert.Equal("'colour' is not a property of $.messages[0].", problem.GetProperty("detail").GetString());
        problem = await Problem(client.PostAsync(messages, Http.Body("""{"messages":[{"role":"user"}]}""")), 400);
        Assert.Equal("The body in $.messages[0] is missing the required property 'content'.", problem.GetProperty("detail").GetString());
        problem = await Problem(client.PostAsync(messages, Http.Body("""{"messages":[{"role":"user","content":"hi","timestamp":7}]}""")), 400);
        Assert.Equal("$.messages[0].timestamp has a value of the wrong type for this property.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Conflicts_carry_the_user_id_as_sent_and_pending_ones_come_most_important_first()
    {
        var client = silo.Client();
        var user = Http.NewId("user");
        async Task<JsonElement> Add(string text, int axis, bool second, double importance)
        {
            var embedding = new float[6];
            embedding[axis] = second ? 0.9f : 1f;
            embedding[axis + 1] = second ? 0.3f : 0f;
            return await client.PostJson($"/v1/users/{user}/memories", new { text, embedding, type = "fact", importance }).Expect(201);
        }

        await Add("I live in Paris", 0, false, 0.2);
        await Add("I live in Rome", 0, true, 0.2);
        await Add("I live in Oslo", 2, false, 0.9);
        await Add("I live in Bergen", 2, true, 0.9);
        await Add("I live in Lima", 4, false, 0.5);
        var added = await Add("I live in Quito", 4, true, 0.5);
        Assert.Equal(user, Assert.Single(added.GetProperty("conflicts").EnumerateArray()).GetProperty("user_id").GetString());

        var pending = (await client.GetAsync($"/v1/users/{user}/conflicts/pending").Expect(200)).EnumerateArray().ToList();
        Assert.Equal(3, pending.Count);
        Assert.All(pending, c => Assert.Equal(user, c.GetProperty("user_id").GetString()));
        var importance = pending.Select(c => c.GetProperty("average_importance").GetDouble()).ToList();
        Assert.Equal([0.9, 0.5, 0.2], importance.Select(i => Math.Round(i, 3)));
        var filtered = (await client.GetAsync($"/v1/users/{user}/conflicts?status=pending").Expect(200)).EnumerateArray()
            .Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Equal(pending.Select(c => c.GetProperty("id").GetString()), filtered);
        var all = await client.GetAsync($"/v1/users/{user}/conflicts").Expect(200);
        Assert.DoesNotContain("tenant-a/", all.GetRawText());
    }

    private async Task<JsonElement> Problem(Task<HttpResponseMessage> request, int status)
    {
        using var response = await request;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        return AssertProblem("request", response, body, status);
    }

    private static JsonElement AssertProblem(string name, HttpResponseMessage response, string body, int status)
    {
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{name}: content type {response.Content.Headers.ContentType}: {body}");
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), $"{name}: no title");
        Assert.Matches(TraceId(), problem.GetProperty("trace_id").GetString());
        foreach (var property in problem.EnumerateObject())
        {
            Assert.Matches(SnakeCase(), property.Name);
        }

        foreach (var leak in Leaks)
        {
            Assert.False(body.Contains(leak, StringComparison.Ordinal), $"{name}: the body shows '{leak}': {body}");
        }

        return problem;
    }

    [GeneratedRegex("^[0-9a-f]{32}$|^[0-9A-Za-z:.-]+$")]
    private static partial Regex TraceId();

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SnakeCase();
}
