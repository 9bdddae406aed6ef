namespace OrleansMemory.Silo.Tests;

/// <summary>Caller mistakes get problem details with 400/404/413, never 500, and store nothing.</summary>
[Collection(SiloCollection.Name)]
public sealed class ErrorTests(SiloFactory silo)
{
    [Fact]
    public async Task Malformed_json_is_400_naming_the_position()
    {
        var detail = await silo.Client().PostAsync($"/v1/users/{Http.NewId("user")}/memories", Http.Body("""{"text":"x","embedding":[1,0""")).ExpectProblem(400);
        Assert.Contains("embedding", detail);
    }

    [Fact]
    public async Task Unknown_missing_and_mistyped_fields_are_400()
    {
        var client = silo.Client();
        var user = Http.NewId("user");
        Assert.Contains("colour", await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"x","embedding":[1],"colour":"red"}""")).ExpectProblem(400));
        Assert.Contains("text", await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"embedding":[1]}""")).ExpectProblem(400));
        await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"x","embedding":["one"]}""")).ExpectProblem(400);
        await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":null,"embedding":[1]}""")).ExpectProblem(400);
        await client.PostAsync($"/v1/users/{user}/memories", Http.Body("")).ExpectProblem(400);
        Assert.Equal(0, (await client.GetAsync($"/v1/users/{user}/stats").Expect(200)).GetProperty("memory_count").GetInt32());
    }

    [Fact]
    public async Task Wrong_embedding_dimension_is_400_and_stores_nothing()
    {
        var client = silo.Client();
        var user = Http.NewId("user");
        await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"first","embedding":[1,0,0]}""")).Expect(201);
        var detail = await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"second","embedding":[1,0]}""")).ExpectProblem(400);
        Assert.Contains("dimension", detail);
        await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"zero","embedding":[0,0,0]}""")).ExpectProblem(400);
        Assert.Equal(1, (await client.GetAsync($"/v1/users/{user}/stats").Expect(200)).GetProperty("memory_count").GetInt32());
    }

    [Fact]
    public async Task Bad_ids_and_query_values_are_400()
    {
        var client = silo.Client();
        Assert.Contains("user_id", await client.GetAsync("/v1/users/has%20space/stats").ExpectProblem(400));
        await client.GetAsync($"/v1/users/{new string('u', 201)}/stats").ExpectProblem(400);
        await client.GetAsync("/v1/conversations/c%2Fd/document").ExpectProblem(400);
        await client.GetAsync("/v1/conversations/c1/messages?limit=abc").ExpectProblem(400);
        await client.GetAsync("/v1/conversations/c1/messages?limit=100000").ExpectProblem(400);
        await client.GetAsync("/v1/conversations/c1/messages?after=-1").ExpectProblem(400);
        await client.GetAsync("/v1/conversations/c1/messages/range?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z").ExpectProblem(400);
        await client.GetAsync("/v1/conversations/c1/messages/range?from=yesterday&to=2026-01-01T00:00:00Z").ExpectProblem(400);
    }

    [Fact]
    public async Task Invalid_message_role_is_400_and_no_message_of_the_batch_is_stored()
    {
        var client = silo.Client();
        var id = Http.NewId("conv");
        await client.PostAsync($"/v1/conversations/{id}/messages", Http.Body("""{"messages":[{"role":"user","content":"ok"},{"role":"robot","content":"no"}]}""")).ExpectProblem(400);
        Assert.Equal(0, (await client.GetAsync($"/v1/conversations/{id}/stats").Expect(200)).GetProperty("message_count").GetInt64());
    }

    [Fact]
    public async Task Oversized_bodies_are_413_and_oversized_batches_400()
    {
        var client = silo.Client();
        var id = Http.NewId("conv");
        var big = new string('x', SiloFactory.MaxBodyBytes + 10);
        await client.PutAsync($"/v1/conversations/{id}/document", Http.Body($$"""{"text":"{{big}}"}""")).ExpectProblem(413);
        var many = string.Join(',', Enumerable.Repeat("""{"role":"user","content":"m"}""", SiloFactory.MaxBatch + 1));
        Assert.Contains("at most", await client.PostAsync($"/v1/conversations/{id}/messages", Http.Body($$"""{"messages":[{{many}}]}""")).ExpectProblem(400));
        await client.GetAsync($"/v1/conversations/{id}/document").ExpectProblem(404);
    }

    [Fact]
    public async Task Unknown_route_is_a_404_problem()
    {
        await silo.Client().GetAsync("/v1/nothing-here").ExpectProblem(404);
    }
}
