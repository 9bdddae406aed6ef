using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansMemory.Embeddings.Local;
using OrleansMemory.Grains;

namespace OrleansMemory.Silo.Tests;

/// <summary>Text in, meaning out through the HTTP API with the silo's default embeddings (the local model, loaded once
/// for this test process), and the silo without a generator.</summary>
[Collection(SiloCollection.Name)]
public sealed class EmbeddingApiTests(SiloFactory silo)
{
    [Fact]
    public async Task Text_only_memories_are_found_by_meaning_out_of_the_box()
    {
        var client = silo.Client();
        var user = Http.NewId("user");
        foreach (var text in new[] { "I work as a pediatric nurse at St. Mary's hospital", "My dog Biscuit is a beagle", "I am allergic to peanuts" })
        {
            await client.PostAsync($"/v1/users/{user}/memories", Http.Body($$"""{"text":"{{text}}"}""")).Expect(201);
        }

        var results = await client.PostAsync($"/v1/users/{user}/memories/search", Http.Body("""{"query":"What does she do for a living?","top_k":1}""")).Expect(200);
        Assert.Equal("I work as a pediatric nurse at St. Mary's hospital", results[0].GetProperty("memory").GetProperty("text").GetString());
        var food = await client.PostAsync($"/v1/users/{user}/memories/search", Http.Body("""{"query":"Which food could make her ill?","top_k":1}""")).Expect(200);
        Assert.Equal("I am allergic to peanuts", food[0].GetProperty("memory").GetProperty("text").GetString());
        var stats = await client.GetAsync($"/v1/users/{user}/stats").Expect(200);
        Assert.Equal(MiniLmModel.Dimensions, stats.GetProperty("embedding_dimension").GetInt32());

        var restated = await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"I have a peanut allergy"}""")).Expect(200);
        Assert.Equal("duplicate", restated.GetProperty("outcome").GetString());

        var mixed = await client.PostAsync($"/v1/users/{user}/memories", Http.Body($$"""{"text":"x","embedding":[{{string.Join(',', Enumerable.Repeat("0.05", 384))}}]}""")).ExpectProblem(400);
        Assert.Contains("made by local/all-MiniLM-L6-v2", mixed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callers_that_send_embeddings_keep_working_and_text_only_use_of_their_users_is_400()
    {
        var client = silo.Client();
        var user = Http.NewId("user");
        await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"Has a dog","embedding":[1,0,0]}""")).Expect(201);
        await client.PostAsync($"/v1/users/{user}/memories/search", Http.Body("""{"embedding":[1,0,0]}""")).Expect(200);
        var text = await client.PostAsync($"/v1/users/{user}/memories/search", Http.Body("""{"query":"dog"}""")).ExpectProblem(400);
        Assert.Contains("holds embeddings its callers sent", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_thresholds_are_the_ones_calibrated_for_the_local_model()
    {
        var options = silo.Services.GetRequiredService<IOptions<MemoryGrainOptions>>().Value;
        Assert.Equal((MiniLmModel.DuplicateThreshold, MiniLmModel.ConflictThreshold), (options.DuplicateThreshold, options.ConflictThreshold));
    }

    [Fact]
    public async Task Text_of_concurrent_adds_to_one_user_is_embedded_outside_the_users_turn()
    {
        var generator = new GatedGenerator();
        await using var gated = silo.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.AddSingleton<Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>>(generator)));
        var client = gated.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", SiloFactory.ReadWriteA);
        var user = Http.NewId("user");
        var adds = new[] { "likes tea", "likes hiking", "likes chess" }
            .Select(t => client.PostAsync($"/v1/users/{user}/memories", Http.Body($$"""{"text":"{{t}}"}""")).Expect(201)).ToArray();
        // All three reach the generator while none has finished: none waits inside the user grain for another's embedding.
        await generator.AllStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        generator.Release.SetResult();
        await Task.WhenAll(adds);
        var search = await client.PostAsync($"/v1/users/{user}/memories/search", Http.Body("""{"query":"likes chess","top_k":1}""")).Expect(200);
        Assert.Equal("likes chess", search[0].GetProperty("memory").GetProperty("text").GetString());
        var mixed = await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"x","embedding":[1,0,0,0]}""")).ExpectProblem(400);
        Assert.Contains("made by test/gated", mixed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_embedding_endpoint_is_503_naming_the_model()
    {
        await using var down = silo.WithWebHostBuilder(b => b
            .UseSetting("OrleansMemory:Embeddings:Provider", "openai")
            .UseSetting("OrleansMemory:Embeddings:Endpoint", "http://127.0.0.1:9/v1")
            .UseSetting("OrleansMemory:Embeddings:Model", "nomic-embed-text"));
        var client = down.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", SiloFactory.ReadWriteA);
        var detail = await client.PostAsync($"/v1/users/{Http.NewId("user")}/memories", Http.Body("""{"text":"Has a dog"}""")).ExpectProblem(503);
        Assert.Contains("The embedding service (openai/nomic-embed-text) failed", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_generator_text_only_requests_are_400_naming_the_setting()
    {
        await using var none = silo.WithWebHostBuilder(b => b
            .UseSetting("OrleansMemory:Embeddings:Provider", "none")
            .UseSetting("OrleansMemory:Grains:DuplicateThreshold", "0.97"));
        var client = none.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", SiloFactory.ReadWriteA);
        var user = Http.NewId("user");
        var add = await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"Has a dog"}""")).ExpectProblem(400);
        Assert.Contains("OrleansMemory:Embeddings:Provider", add, StringComparison.Ordinal);
        var search = await client.PostAsync($"/v1/users/{user}/memories/search", Http.Body("""{"query":"dog"}""")).ExpectProblem(400);
        Assert.Contains("OrleansMemory:Embeddings:Provider", search, StringComparison.Ordinal);
        await client.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"Has a dog","embedding":[1,0]}""")).Expect(201);
        var options = none.Services.GetRequiredService<IOptions<MemoryGrainOptions>>().Value;
        Assert.Equal((0.97, 0.8), (options.DuplicateThreshold, options.ConflictThreshold));
    }

    /// <summary>A stand-in model: one axis per text length, holds every call until <see cref="Release"/>, and reports
    /// when three calls are waiting at once.</summary>
    private sealed class GatedGenerator : Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>
    {
        private int _waiting;

        public TaskCompletionSource AllStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<Microsoft.Extensions.AI.GeneratedEmbeddings<Microsoft.Extensions.AI.Embedding<float>>> GenerateAsync(IEnumerable<string> values,
            Microsoft.Extensions.AI.EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var texts = values.ToArray();
            if (Interlocked.Increment(ref _waiting) >= 3)
            {
                AllStarted.TrySetResult();
            }

            if (!Release.Task.IsCompleted)
            {
                await Release.Task.WaitAsync(cancellationToken);
            }

            return [.. texts.Select(t =>
            {
                var v = new float[16];
                v[t.Length % 16] = 1; // the texts here differ in length
                return new Microsoft.Extensions.AI.Embedding<float>(v);
            })];
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(Microsoft.Extensions.AI.EmbeddingGeneratorMetadata) ? new Microsoft.Extensions.AI.EmbeddingGeneratorMetadata("test", null, "gated", 16) : null;

        public void Dispose()
        {
        }
    }
}
