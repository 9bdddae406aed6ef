namespace OrleansMemory.Silo.Tests;

/// <summary>PUT/GET/DELETE /v1/conversations/{id}/formation through the HTTP API: appends form the user's memories in the
/// background, each memory carries its source, the conversation holds the records.</summary>
[Collection(SiloCollection.Name)]
public sealed class FormationApiTests(SiloFactory silo)
{
    /// <summary>Formation marks its embeddings as background work with a property the grains spell out (they do not
    /// reference the embeddings package); the local model must read the same name.</summary>
    [Fact]
    public void Formation_marks_its_embeddings_with_the_property_the_local_model_reads() =>
        Assert.Equal(OrleansMemory.Embeddings.BackgroundEmbeddings.PropertyName, OrleansMemory.Grains.Users.FormationEmbeddings.BackgroundProperty);

    [Fact]
    public async Task Turns_appended_after_formation_is_on_become_memories_with_their_source()
    {
        var client = silo.Client();
        var conversation = Http.NewId("conv");
        var user = Http.NewId("user");
        await client.GetAsync($"/v1/conversations/{conversation}/formation").ExpectProblem(404);
        var on = await client.PutAsync($"/v1/conversations/{conversation}/formation", Http.Body($$"""{"user_id":"{{user}}"}""")).Expect(200);
        Assert.Equal((user, "rules", 0L), (on.GetProperty("user_id").GetString(), on.GetProperty("extractor").GetString(), on.GetProperty("formed_through").GetInt64()));

        await client.PostAsync($"/v1/conversations/{conversation}/messages", Http.Body("""
            {"messages":[
              {"role":"user","content":"Hi! btw I'm allergic to peanuts."},
              {"role":"assistant","content":"Good to know. I love cooking."},
              {"role":"user","content":"Can you suggest a dessert?"}]}
            """)).Expect(201);
        var status = await client.FormationDrainedAsync(conversation);
        Assert.Equal((3L, 0L, 1), (status.GetProperty("formed_through").GetInt64(), status.GetProperty("pending").GetInt64(),
            status.GetProperty("memories_formed").GetInt32()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, status.GetProperty("last_error").ValueKind);

        var memories = (await client.GetAsync($"/v1/users/{user}/memories").Expect(200)).GetProperty("memories");
        var memory = Assert.Single(memories.EnumerateArray());
        Assert.Equal("I'm allergic to peanuts.", memory.GetProperty("text").GetString());
        var source = memory.GetProperty("source");
        Assert.Equal(conversation, source.GetProperty("conversation_id").GetString());
        Assert.Equal([1L], source.GetProperty("sequences").EnumerateArray().Select(s => s.GetInt64()));
        var record = Assert.Single((await client.GetAsync($"/v1/conversations/{conversation}/memory-records").Expect(200)).EnumerateArray());
        Assert.Equal(memory.GetProperty("id").GetString(), record.GetProperty("memory_id").GetString());

        await client.DeleteAsync($"/v1/conversations/{conversation}/formation").Expect(204);
        await client.GetAsync($"/v1/conversations/{conversation}/formation").ExpectProblem(404);
        await client.DeleteAsync($"/v1/conversations/{conversation}/formation").ExpectProblem(404);
    }

    [Fact]
    public async Task Bad_settings_are_rejected_with_problems()
    {
        var client = silo.Client();
        var conversation = Http.NewId("conv");
        await client.PutAsync($"/v1/conversations/{conversation}/formation", Http.Body("""{"user_id":"a/b"}""")).ExpectProblem(400);
        await client.PutAsync($"/v1/conversations/{conversation}/formation", Http.Body("""{"extractor":"rules"}""")).ExpectProblem(400);
        var unknown = await client.PutAsync($"/v1/conversations/{conversation}/formation", Http.Body("""{"user_id":"u1","extractor":"magic"}""")).ExpectProblem(400);
        Assert.Contains("rules", unknown, StringComparison.Ordinal);
        var llm = await client.PutAsync($"/v1/conversations/{conversation}/formation", Http.Body("""{"user_id":"u1","extractor":"llm"}""")).ExpectProblem(400);
        Assert.Contains("chat client", llm, StringComparison.Ordinal);
        await silo.Client(SiloFactory.ReadOnlyA).PutAsync($"/v1/conversations/{conversation}/formation", Http.Body("""{"user_id":"u1"}""")).ExpectProblem(403);
    }
}
