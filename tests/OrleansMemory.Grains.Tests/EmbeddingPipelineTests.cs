using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>A user records which text pipeline made its embeddings; when the silo's pipeline changes (same model, a new
/// tokenizer) the user says so and re-embeds on demand, slice by slice, surviving restarts; callers' embeddings are their
/// own source and are never re-embedded.</summary>
public sealed class EmbeddingPipelineTests
{
    private const int Dim = 16;
    private const string PipelineKey = "orleansmemory.embedding-pipeline";

    private static Action<IServiceCollection> With(string? pipeline) =>
        s => s.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new VersionedGenerator(pipeline));

    [Fact]
    public async Task A_user_of_an_earlier_pipeline_is_re_embedded_on_demand_and_records_the_new_one()
    {
        var directory = Path.Combine(Path.GetTempPath(), "omem-pipeline-" + Guid.NewGuid().ToString("N"));
        string[] texts = [.. Enumerable.Range(0, 40).Select(i => $"alpha{i} beta{i} gamma{i} delta{i}")];
        try
        {
            string[] ids;
            await using (var before = await MemoryCluster.StartAsync(StorageKind.File, directory, o => o.MemoryPageSize = 8, services: With("demo/1")))
            {
                var user = before.Factory.GetGrain<IUserGrain>("pipelines");
                var added = new List<string>();
                foreach (var text in texts)
                {
                    added.Add((await user.AddMemoryAsync(text)).Memory.Id);
                }

                ids = [.. added];
                await user.DeleteMemoryAsync(ids[3]);
                Assert.Equal(new EmbeddingPipelineStatus("demo/1", "demo/1", false, false),
                    await before.Factory.GetGrain<IUserEmbeddingsGrain>("pipelines").GetEmbeddingPipelineAsync());
                Assert.Equal(0, (await before.Factory.GetGrain<IUserEmbeddingsGrain>("pipelines").ReembedAsync()).Reembedded);
            }

            await using (var after = await MemoryCluster.StartAsync(StorageKind.File, directory, o => o.MemoryPageSize = 8, services: With("demo/2")))
            {
                var embeddings = after.Factory.GetGrain<IUserEmbeddingsGrain>("pipelines");
                var user = after.Factory.GetGrain<IUserGrain>("pipelines");
                Assert.Equal(new EmbeddingPipelineStatus("demo/1", "demo/2", true, false), await embeddings.GetEmbeddingPipelineAsync());
                AssertNear(VersionedGenerator.Embed("demo/1", texts[0]), await user.GetEmbeddingAsync(ids[0]));

                var first = await embeddings.ReembedAsync(maxMemories: 10);
                Assert.Equal((15, 24, "demo/1", "demo/2"), (first.Reembedded, first.Remaining, first.PreviousPipeline, first.Pipeline)); // two pages of 8, one row deleted
                Assert.True((await embeddings.GetEmbeddingPipelineAsync()).InProgress);
                AssertNear(VersionedGenerator.Embed("demo/2", texts[0]), await user.GetEmbeddingAsync(ids[0]));
                AssertNear(VersionedGenerator.Embed("demo/1", texts[20]), await user.GetEmbeddingAsync(ids[20]));
            }

            // The progress survives a restart; the rest is done by the next calls.
            await using (var resumed = await MemoryCluster.StartAsync(StorageKind.File, directory, o => o.MemoryPageSize = 8, services: With("demo/2")))
            {
                var embeddings = resumed.Factory.GetGrain<IUserEmbeddingsGrain>("pipelines");
                var user = resumed.Factory.GetGrain<IUserGrain>("pipelines");
                AssertNear(VersionedGenerator.Embed("demo/2", texts[0]), await user.GetEmbeddingAsync(ids[0]));
                var rest = await embeddings.ReembedAsync(maxMemories: 10_000);
                Assert.Equal((24, 0), (rest.Reembedded, rest.Remaining));
                Assert.Equal(new EmbeddingPipelineStatus("demo/2", "demo/2", false, false), await embeddings.GetEmbeddingPipelineAsync());
                foreach (var i in new[] { 0, 20, 39 })
                {
                    AssertNear(VersionedGenerator.Embed("demo/2", texts[i]), await user.GetEmbeddingAsync(ids[i]));
                }

                var found = await user.SearchTextAsync(texts[20], topK: 1);
                Assert.Equal((ids[20], 1.0), (found[0].Memory.Id, Math.Round(found[0].Score, 5)));
                Assert.Equal(AddMemoryOutcome.Added, (await user.AddMemoryAsync("a brand new fact about gardens")).Outcome);
                Assert.Equal(40, (await user.GetStatsAsync()).MemoryCount);
                Assert.Equal(40, (await embeddings.ReembedAsync(force: true)).Reembedded); // forced: every memory again (ids[3] is deleted)
            }

            // Stored on disk: a restart reads the new vectors and the recorded pipeline.
            await using var last = await MemoryCluster.StartAsync(StorageKind.File, directory, o => o.MemoryPageSize = 8, services: With("demo/2"));
            Assert.False((await last.Factory.GetGrain<IUserEmbeddingsGrain>("pipelines").GetEmbeddingPipelineAsync()).ReembedNeeded);
            AssertNear(VersionedGenerator.Embed("demo/2", texts[39]), await last.Factory.GetGrain<IUserGrain>("pipelines").GetEmbeddingAsync(ids[39]));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Caller_embeddings_are_their_own_source_and_a_generator_without_a_pipeline_is_named_by_its_model()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.Memory, services: With(null));
        var callers = cluster.Factory.GetGrain<IUserGrain>("callers");
        await callers.AddMemoryAsync("hiking", Vectors.Axis(Dim, 0));
        var status = await cluster.Factory.GetGrain<IUserEmbeddingsGrain>("callers").GetEmbeddingPipelineAsync();
        Assert.Equal(new EmbeddingPipelineStatus("caller", "test/versioned", false, false), status);
        var refused = await Assert.ThrowsAsync<MemoryValidationException>(() => cluster.Factory.GetGrain<IUserEmbeddingsGrain>("callers").ReembedAsync(force: true));
        Assert.Contains("holds embeddings its callers sent", refused.Message, StringComparison.Ordinal);

        var texts = cluster.Factory.GetGrain<IUserGrain>("texts");
        await texts.AddMemoryAsync("sailing on the lake");
        Assert.Equal(new EmbeddingPipelineStatus("test/versioned", "test/versioned", false, false),
            await cluster.Factory.GetGrain<IUserEmbeddingsGrain>("texts").GetEmbeddingPipelineAsync());
        await Assert.ThrowsAsync<MemoryValidationException>(() => cluster.Factory.GetGrain<IUserEmbeddingsGrain>("texts").ReembedAsync(maxMemories: 0));
    }

    private static void AssertNear(float[] expected, float[]? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-6f);
        }
    }

    /// <summary>Words hashed into <see cref="Dim"/> buckets with a salt per pipeline, so each pipeline makes other vectors;
    /// reports its pipeline under the service key (none when null) and provider <c>test</c>, model <c>versioned</c>.</summary>
    private sealed class VersionedGenerator(string? pipeline) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public static float[] Embed(string? pipeline, string text)
        {
            var vector = new float[Dim];
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                vector[(int)((uint)string.GetHashCode(pipeline + ":" + word, StringComparison.Ordinal) % Dim)] += 1;
            }

            var norm = MathF.Sqrt(vector.Sum(v => v * v));
            return [.. vector.Select(v => v / norm)];
        }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
            CancellationToken cancellationToken = default) =>
            Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(Embed(pipeline, v)))));

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(EmbeddingGeneratorMetadata) && serviceKey is null ? new EmbeddingGeneratorMetadata("test", null, "versioned", Dim)
            : serviceType == typeof(string) && Equals(serviceKey, PipelineKey) ? pipeline
            : null;

        public void Dispose()
        {
        }
    }
}
