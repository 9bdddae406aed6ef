using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace OrleansMemory.Embeddings.Batching;

/// <summary>Puts every request in one bounded queue per process and sends the texts of requests that arrive together to
/// the inner generator as one batch, so that the model never runs once per request under load. A caller whose token is
/// cancelled gets <see cref="OperationCanceledException"/> at once; a request cancelled before its batch starts is left
/// out of the batch. A failing batch fails each of its callers with <see cref="EmbeddingServiceException"/>. Requests with
/// <see cref="EmbeddingGenerationOptions"/> go straight to the inner generator. A request that finds no batch running
/// starts at once: batches form from the requests that arrive while one runs, and only when another batch is already
/// running (<see cref="EmbeddingBatchOptions.MaxConcurrentBatches"/> above 1) does the first request of the next one
/// wait up to <see cref="EmbeddingBatchOptions.MaxBatchWait"/> for company.</summary>
public sealed partial class BatchingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingBatchOptions _options;
    private readonly EmbeddingMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Channel<Request> _queue;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _workers;
    private readonly KeyValuePair<string, object?> _modelTag;
    private readonly TimeProvider _time;
    private int _running;

    /// <summary>Starts the batch workers; <paramref name="timeProvider"/> times the wait for company (the system clock if null).</summary>
    public BatchingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, EmbeddingBatchOptions options, EmbeddingMetrics metrics,
        ILogger<BatchingEmbeddingGenerator> logger, TimeProvider? timeProvider = null) : base(inner)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.QueueCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrentBatches, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatchWait, TimeSpan.Zero);
        _options = options;
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = timeProvider ?? TimeProvider.System;
        var metadata = inner.GetService<EmbeddingGeneratorMetadata>();
        _modelTag = new("model", $"{metadata?.ProviderName ?? "unknown"}/{metadata?.DefaultModelId ?? "unknown"}");
        _queue = Channel.CreateBounded<Request>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = options.MaxConcurrentBatches == 1,
        });
        _workers = [.. Enumerable.Range(0, options.MaxConcurrentBatches).Select(_ => Task.Run(RunAsync))];
    }

    /// <inheritdoc />
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        if (options is not null)
        {
            return await base.GenerateAsync(values, options, cancellationToken).ConfigureAwait(false);
        }

        var texts = values as string[] ?? values.ToArray();
        if (texts.Length == 0)
        {
            return [];
        }

        var request = new Request(texts, Stopwatch.GetTimestamp());
        await _queue.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        _metrics.Queued.Add(1, _modelTag);
        using (cancellationToken.UnsafeRegister(static (state, token) => ((Request)state!).Completion.TrySetCanceled(token), request))
        {
            return new GeneratedEmbeddings<Embedding<float>>(await request.Completion.Task.ConfigureAwait(false));
        }
    }

    /// <summary>Stops the workers; requests still queued fail with <see cref="ObjectDisposedException"/>.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_stopping.IsCancellationRequested)
        {
            _queue.Writer.TryComplete();
            _stopping.Cancel();
            Task.WaitAll(_workers, TimeSpan.FromSeconds(5));
            while (_queue.Reader.TryRead(out var request))
            {
                request.Completion.TrySetException(new ObjectDisposedException(nameof(BatchingEmbeddingGenerator)));
            }

            _stopping.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task RunAsync()
    {
        var batch = new List<Request>();
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                var texts = await GatherAsync(reader, batch).ConfigureAwait(false);
                if (texts > 0)
                {
                    await RunBatchAsync(batch, texts).ConfigureAwait(false);
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            foreach (var request in batch)
            {
                request.Completion.TrySetException(new ObjectDisposedException(nameof(BatchingEmbeddingGenerator)));
            }
        }
    }

    /// <summary>Takes the queued requests; if none is left and no other batch is running, returns at once (a lone request
    /// never waits); otherwise waits for more until the batch is full or the first one has waited
    /// <see cref="EmbeddingBatchOptions.MaxBatchWait"/>. Returns the number of texts. A request larger than a batch is
    /// taken alone (the inner generator splits it).</summary>
    private async Task<int> GatherAsync(ChannelReader<Request> reader, List<Request> batch)
    {
        var texts = 0;
        var deadline = _time.GetTimestamp() + (long)(_options.MaxBatchWait.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            while (texts < _options.MaxBatchSize && reader.TryPeek(out var next)
                && (texts == 0 || texts + next.Texts.Length <= _options.MaxBatchSize) && reader.TryRead(out next))
            {
                _metrics.Queued.Add(-1, _modelTag);
                if (next.Completion.Task.IsCompleted)
                {
                    continue; // cancelled while queued
                }

                batch.Add(next);
                texts += next.Texts.Length;
            }

            var remaining = deadline - _time.GetTimestamp();
            if (texts >= _options.MaxBatchSize || remaining <= 0 || (texts > 0 && (reader.TryPeek(out _) || Volatile.Read(ref _running) == 0)))
            {
                return texts;
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds((double)remaining / _time.TimestampFrequency), _time);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, timeout.Token);
            try
            {
                if (!await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                {
                    return texts;
                }
            }
            catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
            {
                return texts;
            }
        }
    }

    private async Task RunBatchAsync(List<Request> batch, int count)
    {
        Interlocked.Increment(ref _running);
        try
        {
            await RunBatchCoreAsync(batch, count).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    private async Task RunBatchCoreAsync(List<Request> batch, int count)
    {
        var start = Stopwatch.GetTimestamp();
        var texts = new string[count];
        var offset = 0;
        foreach (var request in batch)
        {
            request.Texts.CopyTo(texts, offset);
            offset += request.Texts.Length;
            _metrics.QueueWait.Record(Stopwatch.GetElapsedTime(request.Enqueued, start).TotalSeconds, _modelTag);
        }

        try
        {
            var embeddings = await InnerGenerator.GenerateAsync(texts, null, _stopping.Token).ConfigureAwait(false);
            if (embeddings.Count != count)
            {
                throw new InvalidOperationException($"The embedding generator returned {embeddings.Count} embeddings for {count} texts.");
            }

            offset = 0;
            foreach (var request in batch)
            {
                var slice = new Embedding<float>[request.Texts.Length];
                for (var i = 0; i < slice.Length; i++)
                {
                    slice[i] = embeddings[offset + i];
                }

                offset += slice.Length;
                request.Completion.TrySetResult(slice);
            }
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            _metrics.Errors.Add(1, _modelTag);
            LogWarningBatchFailed(_logger, ex, count, batch.Count);
            var failure = new EmbeddingServiceException($"The embedding service ({_modelTag.Value}) failed: {ex.GetBaseException().Message}", ex);
            foreach (var request in batch)
            {
                request.Completion.TrySetException(failure);
            }
        }

        _metrics.Batches.Add(1, _modelTag);
        _metrics.Inputs.Add(count, _modelTag);
        _metrics.BatchSize.Record(count, _modelTag);
        _metrics.Duration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, _modelTag);
    }

    private sealed class Request(string[] texts, long enqueued)
    {
        public string[] Texts { get; } = texts;

        public long Enqueued { get; } = enqueued;

        public TaskCompletionSource<Embedding<float>[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedding batch of {Texts} texts ({Requests} requests) failed")]
    private static partial void LogWarningBatchFailed(ILogger logger, Exception exception, int texts, int requests);
}
