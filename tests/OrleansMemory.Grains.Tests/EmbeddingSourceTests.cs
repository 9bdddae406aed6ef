using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>A user's embeddings come from one source (the silo's generator, named provider/model, or its callers), kept
/// across restarts; mixing is refused with a message that says what to do. A contradiction the model scores as
/// near-identical is a conflict, not a duplicate.</summary>
public sealed class EmbeddingSourceTests
{
    private const int Dim = 16;

    private static Action<IServiceCollection> With(string model) =>
        s => s.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new HashingGenerator(model));

    [Fact]
    public async Task A_user_of_the_silos_model_refuses_caller_embeddings_and_a_user_of_caller_embeddings_refuses_text_only()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.Memory, services: With("model-a"));
        var texts = cluster.Factory.GetGrain<IUserGrain>("source-text");
        await texts.AddMemoryAsync("green tea every morning");
        var sent = await Assert.ThrowsAsync<MemoryValidationException>(() => texts.AddMemoryAsync("coffee", Vectors.Axis(Dim, 1)));
        Assert.Contains("made by test/model-a; send text without embedding", sent.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MemoryValidationException>(() => texts.SearchAsync(Vectors.Axis(Dim, 1)));
        await Assert.ThrowsAsync<MemoryValidationException>(() => texts.ImportMemoriesAsync([new ImportedMemory("x", Vectors.Axis(Dim, 1))]));
        Assert.Single(await texts.SearchTextAsync("tea in the morning"));

        var vectors = cluster.Factory.GetGrain<IUserGrain>("source-caller");
        var first = await vectors.AddMemoryAsync("hiking in the alps", Vectors.Axis(Dim, 0));
        var text = await Assert.ThrowsAsync<MemoryValidationException>(() => vectors.SearchTextAsync("mountains"));
        Assert.Contains("holds embeddings its callers sent; this silo would embed the text with test/model-a", text.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MemoryValidationException>(() => vectors.AddMemoryAsync("skiing"));

        // A new text without a new embedding keeps the caller's vector instead of mixing in the silo's model.
        await vectors.UpdateMemoryAsync(first.Memory.Id, new MemoryUpdate(Text: "hiking in the Alps every summer"));
        Assert.Equal(Vectors.Axis(Dim, 0), await vectors.GetEmbeddingAsync(first.Memory.Id));
        Assert.Equal(AddMemoryOutcome.Added, (await vectors.AddMemoryAsync("sailing", Vectors.Axis(Dim, 3))).Outcome);
    }

    [Fact]
    public async Task Another_model_of_the_same_dimension_after_a_restart_is_refused_and_the_same_one_works()
    {
        var directory = Path.Combine(Path.GetTempPath(), "omem-source-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var before = await MemoryCluster.StartAsync(StorageKind.File, directory, services: With("model-a")))
            {
                await before.Factory.GetGrain<IUserGrain>("switch").AddMemoryAsync("I keep bees on the roof");
            }

            await using (var other = await MemoryCluster.StartAsync(StorageKind.File, directory, services: With("model-b")))
            {
                var user = other.Factory.GetGrain<IUserGrain>("switch");
                var refused = await Assert.ThrowsAsync<MemoryValidationException>(() => user.SearchTextAsync("bees"));
                Assert.Contains("holds embeddings made by test/model-a; this silo now embeds text with test/model-b", refused.Message, StringComparison.Ordinal);
                Assert.Contains("OrleansMemory:Embeddings", refused.Message, StringComparison.Ordinal);
                await Assert.ThrowsAsync<MemoryValidationException>(() => user.AddMemoryAsync("I sell honey"));
                Assert.Equal(1, (await user.GetStatsAsync()).MemoryCount);
            }

            await using var same = await MemoryCluster.StartAsync(StorageKind.File, directory, services: With("model-a"));
            Assert.Single(await same.Factory.GetGrain<IUserGrain>("switch").SearchTextAsync("bees on the roof"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_near_identical_contradiction_is_a_conflict_and_a_restatement_a_duplicate()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.Memory);
        var user = cluster.Factory.GetGrain<IUserGrain>("veto");
        var liked = await user.AddMemoryAsync("I like cats", Vectors.Axis(Dim, 0));
        var negated = await user.AddMemoryAsync("I don't like cats", Vectors.Near(Dim, 0, 1, 0.99));
        Assert.Equal(AddMemoryOutcome.AddedWithConflicts, negated.Outcome);
        Assert.Equal(("negation", liked.Memory.Id), (negated.Conflicts.Single().Category, negated.Conflicts.Single().MemoryAId));
        var again = await user.AddMemoryAsync("I like cats", Vectors.Near(Dim, 0, 2, 0.99));
        Assert.Equal((AddMemoryOutcome.Duplicate, liked.Memory.Id), (again.Outcome, again.DuplicateOf));
    }

    /// <summary>A deterministic stand-in for a model: words hashed into <see cref="Dim"/> buckets; reports provider
    /// <c>test</c> and the given model id.</summary>
    private sealed class HashingGenerator(string model) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (var value in values)
            {
                var vector = new float[Dim];
                foreach (var word in value.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    vector[(int)((uint)string.GetHashCode(word, StringComparison.Ordinal) % Dim)] += 1;
                }

                result.Add(new Embedding<float>(vector));
            }

            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("test", null, model, Dim) : null;

        public void Dispose()
        {
        }
    }
}
