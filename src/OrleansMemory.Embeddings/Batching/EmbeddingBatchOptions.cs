namespace OrleansMemory.Embeddings.Batching;

/// <summary>How <see cref="BatchingEmbeddingGenerator"/> gathers requests into batches.</summary>
public sealed record EmbeddingBatchOptions
{
    /// <summary>The most texts in one call to the model or endpoint.</summary>
    public int MaxBatchSize { get; init; } = 64;

    /// <summary>How long the first request of a batch waits for others to join it when another batch is already running
    /// (only possible with <see cref="MaxConcurrentBatches"/> above 1). A request that finds nothing running starts at
    /// once, and requests that arrive while a batch runs queue anyway and form the next one.</summary>
    public TimeSpan MaxBatchWait { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>The most requests waiting in the queue; further callers wait (asynchronously, cancellably) for room.</summary>
    public int QueueCapacity { get; init; } = 4096;

    /// <summary>Batches run at the same time (1 for a local model, which uses every core per batch; more for a remote endpoint).</summary>
    public int MaxConcurrentBatches { get; init; } = 1;
}
