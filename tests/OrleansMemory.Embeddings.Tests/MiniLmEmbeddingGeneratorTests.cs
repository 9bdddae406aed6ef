using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using OrleansMemory.Embeddings.Local;

namespace OrleansMemory.Embeddings.Tests;

/// <summary>The local model itself (loaded once for this test process by <see cref="MiniLmModel"/>).</summary>
public sealed class MiniLmEmbeddingGeneratorTests
{
    private static readonly MiniLmEmbeddingGenerator Generator = new(maxRunSize: 4);

    [Fact]
    public async Task Vectors_are_384_dimensional_unit_vectors_that_rank_paraphrases_above_unrelated_text()
    {
        var embeddings = await Generator.GenerateAsync(["I live in London", "I reside in London, England", "I moved to Paris last year", "My favourite colour is blue"]);
        Assert.All(embeddings, e => Assert.Equal(MiniLmModel.Dimensions, e.Vector.Length));
        Assert.All(embeddings, e => Assert.Equal(1, TensorPrimitives.Norm(e.Vector.Span), 3));
        Assert.All(embeddings, e => Assert.Equal(MiniLmModel.ModelId, e.ModelId));
        var paraphrase = TensorPrimitives.Dot(embeddings[0].Vector.Span, embeddings[1].Vector.Span);
        var related = TensorPrimitives.Dot(embeddings[0].Vector.Span, embeddings[2].Vector.Span);
        var unrelated = TensorPrimitives.Dot(embeddings[0].Vector.Span, embeddings[3].Vector.Span);
        Assert.InRange(paraphrase, 0.7f, 0.9f);
        Assert.InRange(related, 0.3f, 0.6f);
        Assert.InRange(unrelated, -0.1f, 0.2f);
    }

    [Fact]
    public void Texts_of_mixed_lengths_come_back_in_order_whatever_the_runs()
    {
        string[] texts = ["a much longer sentence about hiking in the mountains every summer with friends", "tea", "coffee in the morning", "hiking", "tea", "x y z"];
        var together = Generator.Encode(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var alone = Generator.Encode([texts[i]])[0];
            Assert.True(TensorPrimitives.Dot(alone, together[i]) > 0.999f, $"text {i} differs when encoded with the others");
        }

        Assert.Equal(together[1], together[4]);
    }

    [Fact]
    public void Text_beyond_what_the_model_reads_is_cut_without_failing()
    {
        var start = string.Join(' ', Enumerable.Repeat("The quick brown fox jumps over the lazy dog.", 60));
        var longer = Generator.Encode([start, start + new string('z', 200_000)]);
        Assert.True(TensorPrimitives.Dot(longer[0], longer[1]) > 0.999f);
    }

    [Fact]
    public async Task Reports_its_metadata_and_refuses_other_dimensions()
    {
        var metadata = Generator.GetService<EmbeddingGeneratorMetadata>();
        Assert.Equal((MiniLmModel.ProviderName, MiniLmModel.ModelId, MiniLmModel.Dimensions), (metadata!.ProviderName, metadata.DefaultModelId, metadata.DefaultModelDimensions));
        await Assert.ThrowsAsync<NotSupportedException>(() => Generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 128 }));
        Assert.Empty(await Generator.GenerateAsync([]));
    }

    [Fact]
    public void Reports_its_text_pipeline_also_through_the_batching_generator()
    {
        using var metrics = new Batching.EmbeddingMetrics();
        using var batcher = new Batching.BatchingEmbeddingGenerator(new MiniLmEmbeddingGenerator(), new Batching.EmbeddingBatchOptions(), metrics,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Batching.BatchingEmbeddingGenerator>.Instance);
        Assert.Equal("minilm-l6-v2/2", MiniLmModel.PipelineId);
        Assert.Equal(MiniLmModel.PipelineId, batcher.GetService<EmbeddingPipeline>()?.Id);
        Assert.Equal(MiniLmModel.PipelineId, EmbeddingPipeline.Of(batcher));
        Assert.Equal(MiniLmModel.PipelineId, batcher.GetService(typeof(string), EmbeddingPipeline.ServiceKey)); // what the user grain records
        Assert.Null(batcher.GetService(typeof(string), "another key"));
        Assert.NotEqual(MiniLmModel.LegacyPipelineId, EmbeddingPipeline.Of(Generator));
        Assert.Equal("test:recording/2", EmbeddingPipeline.Of(new RecordingGenerator()));
    }

    [Fact]
    public async Task A_cancelled_token_stops_before_the_model_runs()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Generator.GenerateAsync(["x"], cancellationToken: cts.Token));
    }
}
