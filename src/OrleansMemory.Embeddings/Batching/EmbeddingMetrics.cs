using System.Diagnostics.Metrics;

namespace OrleansMemory.Embeddings.Batching;

/// <summary>The instruments of the meter <c>OrleansMemory.Embeddings</c>: batches run, texts per batch, time per batch,
/// time a request waited in the queue, requests queued, failed batches. Every instrument carries the model as tag
/// <c>model</c>.</summary>
public sealed class EmbeddingMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "OrleansMemory.Embeddings";

    private readonly Meter _meter;

    /// <summary>Creates the instruments, on a meter from <paramref name="meterFactory"/> when given (DI), else an own one.</summary>
    public EmbeddingMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        Batches = _meter.CreateCounter<long>("orleansmemory.embedding.batches", "{batch}", "Batches sent to the embedding model.");
        Inputs = _meter.CreateCounter<long>("orleansmemory.embedding.inputs", "{text}", "Texts embedded.");
        BatchSize = _meter.CreateHistogram<int>("orleansmemory.embedding.batch_size", "{text}", "Texts per batch.");
        Duration = _meter.CreateHistogram<double>("orleansmemory.embedding.duration", "s", "Time the model took per batch.");
        QueueWait = _meter.CreateHistogram<double>("orleansmemory.embedding.queue_wait", "s", "Time a request waited before its batch started.");
        Queued = _meter.CreateUpDownCounter<long>("orleansmemory.embedding.queued", "{request}", "Requests waiting for a batch.");
        Errors = _meter.CreateCounter<long>("orleansmemory.embedding.errors", "{batch}", "Batches that failed.");
    }

    internal Counter<long> Batches { get; }

    internal Counter<long> Inputs { get; }

    internal Histogram<int> BatchSize { get; }

    internal Histogram<double> Duration { get; }

    internal Histogram<double> QueueWait { get; }

    internal UpDownCounter<long> Queued { get; }

    internal Counter<long> Errors { get; }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
