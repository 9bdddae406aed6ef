using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace OrleansMemory.Embeddings.Tests;

/// <summary>An inner generator for the batching tests: records every batch, can hold batches at a gate, can fail.
/// Vector i of a text is its length (so results can be matched to inputs).</summary>
internal sealed class RecordingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public ConcurrentQueue<string[]> Batches { get; } = new();

    public TaskCompletionSource Gate { get; set; } = CompletedGate();

    public TaskCompletionSource BatchStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Exception? Failure { get; set; }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var texts = values.ToArray();
        Batches.Enqueue(texts);
        BatchStarted.TrySetResult();
        await Gate.Task.WaitAsync(cancellationToken);
        if (Failure is { } failure)
        {
            throw failure;
        }

        return new GeneratedEmbeddings<Embedding<float>>(texts.Select(t => new Embedding<float>(new float[] { t.Length, 1 })));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("test", null, "recording", 2) : null;

    public void Dispose()
    {
    }

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource();
        gate.SetResult();
        return gate;
    }
}
