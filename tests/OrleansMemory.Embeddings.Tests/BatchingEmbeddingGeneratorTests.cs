using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansMemory.Embeddings.Batching;

namespace OrleansMemory.Embeddings.Tests;

public sealed class BatchingEmbeddingGeneratorTests
{
    private static BatchingEmbeddingGenerator Create(RecordingGenerator inner, EmbeddingBatchOptions? options = null, EmbeddingMetrics? metrics = null,
        TimeProvider? time = null) =>
        new(inner, options ?? new EmbeddingBatchOptions(), metrics ?? new EmbeddingMetrics(), NullLogger<BatchingEmbeddingGenerator>.Instance, time);

    [Fact]
    public async Task A_lone_request_starts_at_once_without_waiting_for_company()
    {
        // The clock is frozen and MaxBatchWait is an hour: any wait for company would never end, and would need a timer.
        var time = new FrozenTimeProvider();
        var inner = new RecordingGenerator();
        using var batcher = Create(inner, new EmbeddingBatchOptions { MaxBatchWait = TimeSpan.FromHours(1) }, time: time);
        for (var i = 1; i <= 3; i++)
        {
            var vector = await batcher.GenerateVectorAsync(new string('a', i)).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(i, vector.Span[0]);
        }

        Assert.Equal(0, time.TimersCreated);
        Assert.Equal([1, 1, 1], inner.Batches.Select(b => b.Length));
    }

    [Fact]
    public async Task Concurrent_requests_still_form_batches_without_any_wait()
    {
        var time = new FrozenTimeProvider();
        var inner = new RecordingGenerator { Gate = new TaskCompletionSource() };
        using var batcher = Create(inner, new EmbeddingBatchOptions { MaxBatchSize = 8, MaxBatchWait = TimeSpan.FromHours(1) }, time: time);
        var first = batcher.GenerateVectorAsync("first");
        await inner.BatchStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var rest = Enumerable.Range(1, 20).Select(i => batcher.GenerateVectorAsync(new string('x', i))).ToArray();
        inner.Gate.SetResult();
        await Task.WhenAll(rest).WaitAsync(TimeSpan.FromSeconds(30));
        await first;
        Assert.Equal([1, 8, 8, 4], inner.Batches.Select(b => b.Length));
        Assert.Equal(0, time.TimersCreated);
    }

    [Fact]
    public async Task With_another_batch_running_the_first_request_of_the_next_waits_for_company()
    {
        var time = new FrozenTimeProvider();
        var inner = new RecordingGenerator { Gate = new TaskCompletionSource() };
        using var batcher = Create(inner, new EmbeddingBatchOptions { MaxBatchSize = 3, MaxConcurrentBatches = 2, MaxBatchWait = TimeSpan.FromHours(1) }, time: time);
        var running = batcher.GenerateVectorAsync("running");
        await inner.BatchStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var second = batcher.GenerateVectorAsync("b");
        while (time.TimersCreated == 0)
        {
            await Task.Delay(10); // the second worker has taken "b" and waits (on the frozen clock) for company
        }

        var company = new[] { batcher.GenerateVectorAsync("cc"), batcher.GenerateVectorAsync("ddd") };
        while (inner.Batches.Count < 2)
        {
            await Task.Delay(10); // the second worker sends its batch once full (the first is held at the gate)
        }

        inner.Gate.SetResult();
        await Task.WhenAll([running, second, .. company]).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([1, 3], inner.Batches.Select(b => b.Length));
    }

    [Fact]
    public async Task Requests_that_arrive_while_a_batch_runs_share_the_next_batch_and_get_their_own_vectors()
    {
        var inner = new RecordingGenerator { Gate = new TaskCompletionSource() };
        using var batcher = Create(inner, new EmbeddingBatchOptions { MaxBatchSize = 8, MaxBatchWait = TimeSpan.Zero });
        var first = batcher.GenerateVectorAsync("first");
        await inner.BatchStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var texts = Enumerable.Range(1, 20).Select(i => new string('x', i)).ToArray();
        var rest = texts.Select(t => batcher.GenerateVectorAsync(t)).ToArray();
        inner.Gate.SetResult();

        Assert.Equal(5, (await first).Span[0]);
        var vectors = await Task.WhenAll(rest);
        Assert.Equal(texts.Select(t => (float)t.Length), vectors.Select(v => v.Span[0]));
        var batches = inner.Batches.ToArray();
        Assert.Equal(["first"], batches[0]);
        Assert.Equal([8, 8, 4], batches.Skip(1).Select(b => b.Length));
    }

    [Fact]
    public async Task A_request_larger_than_a_batch_goes_alone_and_keeps_its_order()
    {
        var inner = new RecordingGenerator();
        using var batcher = Create(inner, new EmbeddingBatchOptions { MaxBatchSize = 4 });
        var texts = Enumerable.Range(1, 10).Select(i => new string('y', i)).ToArray();
        var embeddings = await batcher.GenerateAsync(texts);
        Assert.Equal(texts.Select(t => (float)t.Length), embeddings.Select(e => e.Vector.Span[0]));
        Assert.Single(inner.Batches);
    }

    [Fact]
    public async Task A_cancelled_caller_returns_at_once_and_its_queued_text_is_left_out()
    {
        var inner = new RecordingGenerator { Gate = new TaskCompletionSource() };
        using var batcher = Create(inner, new EmbeddingBatchOptions { MaxBatchWait = TimeSpan.Zero });
        var running = batcher.GenerateVectorAsync("running");
        await inner.BatchStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using var cts = new CancellationTokenSource();
        var cancelled = batcher.GenerateVectorAsync("cancelled", cancellationToken: cts.Token);
        var kept = batcher.GenerateVectorAsync("kept");
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await cancelled);
        inner.Gate.SetResult();
        await running;
        await kept;
        Assert.DoesNotContain(inner.Batches, b => b.Contains("cancelled"));
    }

    [Fact]
    public async Task The_queue_is_bounded_and_a_waiting_caller_can_cancel()
    {
        var inner = new RecordingGenerator { Gate = new TaskCompletionSource() };
        using var batcher = Create(inner, new EmbeddingBatchOptions { QueueCapacity = 1, MaxBatchWait = TimeSpan.Zero });
        var running = batcher.GenerateVectorAsync("running");
        await inner.BatchStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var queued = batcher.GenerateVectorAsync("queued");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await batcher.GenerateVectorAsync("no room", cancellationToken: cts.Token));
        inner.Gate.SetResult();
        await Task.WhenAll(running, queued);
        Assert.DoesNotContain(inner.Batches, b => b.Contains("no room"));
    }

    [Fact]
    public async Task A_failing_batch_fails_each_of_its_callers_and_the_next_batch_works()
    {
        var inner = new RecordingGenerator { Failure = new HttpRequestException("endpoint down") };
        using var batcher = Create(inner);
        var failure = await Assert.ThrowsAsync<EmbeddingServiceException>(async () => await batcher.GenerateVectorAsync("a"));
        Assert.Equal("The embedding service (test/recording) failed: endpoint down", failure.Message);
        Assert.IsType<HttpRequestException>(failure.InnerException);
        inner.Failure = null;
        Assert.Equal(1, (await batcher.GenerateVectorAsync("b")).Span[0]);
    }

    [Fact]
    public async Task Disposing_fails_waiting_callers_and_refuses_new_ones()
    {
        var inner = new RecordingGenerator { Gate = new TaskCompletionSource() };
        var batcher = Create(inner, new EmbeddingBatchOptions { MaxBatchWait = TimeSpan.Zero });
        var running = batcher.GenerateVectorAsync("running");
        await inner.BatchStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var queued = batcher.GenerateVectorAsync("queued");
        batcher.Dispose();
        await Assert.ThrowsAnyAsync<Exception>(async () => await queued);
        await Assert.ThrowsAnyAsync<Exception>(async () => await running);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await batcher.GenerateVectorAsync("late"));
    }

    [Fact]
    public async Task Batches_are_measured_on_the_OrleansMemory_Embeddings_meter()
    {
        var seen = new List<(string Name, double Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EmbeddingMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, _) => { lock (seen) { seen.Add((i.Name, v)); } });
        listener.SetMeasurementEventCallback<int>((i, v, _, _) => { lock (seen) { seen.Add((i.Name, v)); } });
        listener.SetMeasurementEventCallback<double>((i, v, _, _) => { lock (seen) { seen.Add((i.Name, v)); } });
        listener.Start();
        using var metrics = new EmbeddingMetrics();
        using var batcher = Create(new RecordingGenerator(), metrics: metrics);
        await batcher.GenerateAsync(["a", "b", "c"]);
        await Task.Delay(100); // the worker records after completing the callers
        lock (seen)
        {
            Assert.Contains(("orleansmemory.embedding.batches", 1.0), seen);
            Assert.Contains(("orleansmemory.embedding.batch_size", 3.0), seen);
            Assert.Contains(seen, s => s.Name == "orleansmemory.embedding.duration" && s.Value >= 0);
        }
    }

    [Fact]
    public async Task Requests_with_options_go_straight_to_the_inner_generator()
    {
        var inner = new RecordingGenerator();
        using var batcher = Create(inner);
        await batcher.GenerateAsync(["a"], new EmbeddingGenerationOptions { Dimensions = 2 });
        Assert.Single(inner.Batches);
        Assert.Equal("test", batcher.GetService<EmbeddingGeneratorMetadata>()!.ProviderName);
    }
}
