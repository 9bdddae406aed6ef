namespace OrleansMemory.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class ConflictAndShortTermApiTests(SiloFactory silo)
{
    private async Task<string> AddConflictAsync(HttpClient client, string user, string older, string newer)
    {
        await client.PostAsync($"/v1/users/{user}/memories", Http.Body($$"""{"text":"{{older}}","embedding":[1,0,0]}""")).Expect(201);
        var added = await client.PostAsync($"/v1/users/{user}/memories", Http.Body($$"""{"text":"{{newer}}","embedding":[0.9,0.3,0]}""")).Expect(201);
        Assert.Equal("added_with_conflicts", added.GetProperty("outcome").GetString());
        return Assert.Single(added.GetProperty("conflicts").EnumerateArray()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Conflicts_are_listed_resolved_and_escalated()
    {
        var client = silo.Client();
        var user = Http.NewId("user");
        var conflictId = await AddConflictAsync(client, user, "I live in Paris", "I live in Rome");

        var pending = await client.GetAsync($"/v1/users/{user}/conflicts/pending").Expect(200);
        Assert.Equal(conflictId, Assert.Single(pending.EnumerateArray()).GetProperty("id").GetString());

        var resolved = await client.PostAsync($"/v1/users/{user}/conflicts/{conflictId}/resolve", Http.Body("""{"kind":"keep_b","reason":"moved"}""")).Expect(200);
        Assert.Equal("resolved", resolved.GetProperty("status").GetString());
        Assert.Equal("keep_b", resolved.GetProperty("resolution").GetString());
        Assert.Equal(0, (await client.GetAsync($"/v1/users/{user}/conflicts/pending").Expect(200)).GetArrayLength());
        Assert.Single((await client.GetAsync($"/v1/users/{user}/conflicts?status=resolved").Expect(200)).EnumerateArray());

        var other = Http.NewId("user");
        var second = await AddConflictAsync(client, other, "I live in Oslo", "I live in Bergen");
        var escalated = await client.PostAsync($"/v1/users/{other}/conflicts/{second}/escalate", Http.Body("""{"reason":"ask a human"}""")).Expect(200);
        Assert.Equal("escalated", escalated.GetProperty("status").GetString());

        await client.PostAsync($"/v1/users/{user}/conflicts/nope/resolve", Http.Body("""{"kind":"keep_a"}""")).ExpectProblem(404);
        await client.PostAsync($"/v1/users/{user}/conflicts/{conflictId}/resolve", Http.Body("""{"kind":"merge"}""")).ExpectProblem(400);
        await client.GetAsync($"/v1/users/{user}/conflicts?status=maybe").ExpectProblem(400);
    }

    [Fact]
    public async Task Short_term_add_recent_capacity_clear()
    {
        var client = silo.Client();
        var user = Http.NewId("user");
        await client.PostAsync($"/v1/users/{user}/short-term", Http.Body("""
            {"messages":[{"role":"user","content":"one"},{"role":"assistant","content":"two"},{"role":"user","content":"three"}]}
            """)).Expect(204);
        var recent = await client.GetAsync($"/v1/users/{user}/short-term?count=2").Expect(200);
        Assert.Equal(["two", "three"], recent.EnumerateArray().Select(m => m.GetProperty("content").GetString()));

        await client.PutAsync($"/v1/users/{user}/short-term/capacity", Http.Body("""{"max_messages":1}""")).Expect(204);
        Assert.Equal("three", Assert.Single((await client.GetAsync($"/v1/users/{user}/short-term").Expect(200)).EnumerateArray()).GetProperty("content").GetString());
        await client.PutAsync($"/v1/users/{user}/short-term/capacity", Http.Body("""{"max_messages":0}""")).ExpectProblem(400);

        await client.DeleteAsync($"/v1/users/{user}/short-term").Expect(204);
        Assert.Equal(0, (await client.GetAsync($"/v1/users/{user}/short-term").Expect(200)).GetArrayLength());
    }

    [Fact]
    public async Task Retention_is_read_and_set_per_user()
    {
        var client = silo.Client();
        var user = Http.NewId("user");
        var defaults = await client.GetAsync($"/v1/users/{user}/retention").Expect(200);
        Assert.Equal(200_000, defaults.GetProperty("max_history_events").GetInt32());
        Assert.Equal("365.00:00:00", defaults.GetProperty("max_history_age").GetString());

        var set = await client.PutAsync($"/v1/users/{user}/retention", Http.Body("""{"max_history_events":50,"max_short_term_age":"01:00:00"}""")).Expect(200);
        Assert.Equal(50, set.GetProperty("max_history_events").GetInt32());
        Assert.Equal("01:00:00", set.GetProperty("max_short_term_age").GetString());
        Assert.Equal(10_000, set.GetProperty("max_resolved_conflicts").GetInt32());
        Assert.Equal(50, (await client.GetAsync($"/v1/users/{user}/retention").Expect(200)).GetProperty("max_history_events").GetInt32());
        await client.PutAsync($"/v1/users/{user}/retention", Http.Body("""{"max_history_events":0}""")).ExpectProblem(400);
    }
}
