namespace OrleansMemory.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class UserApiTests(SiloFactory silo)
{
    [Fact]
    public async Task Memories_add_duplicate_get_update_archive_history_delete()
    {
        var client = silo.Client();
        var user = Http.NewId("user");
        var added = await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""
            {"text":"Likes green tea","embedding":[1,0,0,0],"type":"preference","importance":0.7,"metadata":{"source":"chat"}}
            """)).Expect(201);
        Assert.Equal("added", added.GetProperty("outcome").GetString());
        var memoryId = added.GetProperty("memory").GetProperty("id").GetString()!;

        var duplicate = await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"Likes green tea","embedding":[1,0,0,0]}""")).Expect(200);
        Assert.Equal("duplicate", duplicate.GetProperty("outcome").GetString());
        Assert.Equal(memoryId, duplicate.GetProperty("duplicate_of").GetString());

        var memory = await client.GetAsync($"/v1/users/{user}/memories/{memoryId}").Expect(200);
        Assert.Equal("chat", memory.GetProperty("metadata").GetProperty("source").GetString());
        Assert.Equal(2, memory.GetProperty("mention_count").GetInt32());
        var embedding = await client.GetAsync($"/v1/users/{user}/memories/{memoryId}/embedding").Expect(200);
        Assert.Equal(4, embedding.GetProperty("dimension").GetInt32());

        var updated = await client.PatchAsync($"/v1/users/{user}/memories/{memoryId}", Http.Body("""{"importance":0.9,"reason":"asked twice"}""")).Expect(200);
        Assert.Equal(0.9, updated.GetProperty("importance").GetDouble());

        var archived = await client.PostAsync($"/v1/users/{user}/memories/{memoryId}/archive", Http.Body("""{"reason":"stale"}""")).Expect(200);
        Assert.True(archived.GetProperty("is_archived").GetBoolean());
        Assert.Equal(0, (await client.GetAsync($"/v1/users/{user}/memories").Expect(200)).GetProperty("total_count").GetInt32());
        Assert.Equal(1, (await client.GetAsync($"/v1/users/{user}/memories?include_archived=true").Expect(200)).GetProperty("total_count").GetInt32());

        var history = await client.GetAsync($"/v1/users/{user}/memories/{memoryId}/history").Expect(200);
        Assert.Equal(["added", "duplicate_seen", "updated", "archived"], history.EnumerateArray().Select(e => e.GetProperty("kind").GetString()));

        await client.DeleteAsync($"/v1/users/{user}/memories/{memoryId}?reason=gdpr").Expect(204);
        await client.DeleteAsync($"/v1/users/{user}/memories/{memoryId}").ExpectProblem(404);
        await client.GetAsync($"/v1/users/{user}/memories/does-not-exist").ExpectProblem(404);
    }

    [Fact]
    public async Task Different_words_at_a_duplicate_score_are_two_memories_and_the_same_text_again_is_a_duplicate()
    {
        var client = silo.Client();
        var user = Http.NewId("user");
        var dog = await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"I have a dog","embedding":[1,0,0]}""")).Expect(201);
        var hiking = await client.PostAsync($"/v1/users/{user}/memories",
            Http.Body("""{"text":"I enjoy hiking on weekends","embedding":[0.95,0.3122499,0]}""")).Expect(201); // cosine 0.95
        Assert.Equal("added", hiking.GetProperty("outcome").GetString());
        var again = await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"I have a dog","embedding":[1,0.01,0]}""")).Expect(200);
        Assert.Equal("duplicate", again.GetProperty("outcome").GetString());
        Assert.Equal(dog.GetProperty("memory").GetProperty("id").GetString(), again.GetProperty("duplicate_of").GetString());
        var stats = await client.GetAsync($"/v1/users/{user}/stats").Expect(200);
        Assert.Equal(2, stats.GetProperty("memory_count").GetInt32());
    }

    [Fact]
    public async Task Search_import_and_stats()
    {
        var client = silo.Client();
        var user = Http.NewId("user");
        var ids = await client.PostAsync($"/v1/users/{user}/memories/import", Http.Body("""
            {"memories":[{"text":"Has a dog","embedding":[1,0,0]},{"text":"Works as a nurse","embedding":[0,1,0],"type":"fact"}]}
            """)).Expect(200);
        Assert.Equal(2, ids.GetProperty("ids").GetArrayLength());

        var results = await client.PostAsync($"/v1/users/{user}/memories/search", Http.Body("""{"embedding":[0.1,0.99,0],"top_k":1}""")).Expect(200);
        var best = Assert.Single(results.EnumerateArray());
        Assert.Equal("Works as a nurse", best.GetProperty("memory").GetProperty("text").GetString());
        Assert.True(best.GetProperty("score").GetDouble() > 0.9);

        await client.PostAsync($"/v1/users/{user}/memories/search", Http.Body("""{"embedding":[1,0,0],"query":"dog"}""")).ExpectProblem(400);
        await client.PostAsync($"/v1/users/{user}/memories/search", Http.Body("""{}""")).ExpectProblem(400);

        var stats = await client.GetAsync($"/v1/users/{user}/stats").Expect(200);
        Assert.Equal(2, stats.GetProperty("memory_count").GetInt32());
        Assert.Equal(3, stats.GetProperty("embedding_dimension").GetInt32());
    }

    [Fact]
    public async Task Erasing_a_user_needs_admin_and_removes_everything()
    {
        var user = Http.NewId("user");
        await silo.Client().PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"Secret","embedding":[1,1]}""")).Expect(201);
        await silo.Client().DeleteAsync($"/v1/users/{user}").ExpectProblem(403);
        await silo.Client(SiloFactory.AdminA).DeleteAsync($"/v1/users/{user}").Expect(204);
        var stats = await silo.Client().GetAsync($"/v1/users/{user}/stats").Expect(200);
        Assert.Equal(0, stats.GetProperty("memory_count").GetInt32());
    }
}
