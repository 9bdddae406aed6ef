using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

/// <summary>A bench-only listener: sums the durations of the product's spans (ASP.NET Core's request, embedding, storage,
/// the file provider's steps, the user grain's similarity check) and of the <c>orleansmemory.operation.duration</c>
/// histogram by operation, so that one add can be split into its parts; and the model's batch sizes.</summary>
internal sealed class SpanTally : IDisposable
{
    private static readonly HashSet<string> Sources =
    [
        "Microsoft.AspNetCore", "OrleansMemory.Storage", "OrleansMemory.Embeddings",
        OrleansMemory.Storage.FileStorageActivity.SourceName, OrleansMemory.Grains.Users.UserActivity.SourceName,
    ];

    private readonly ConcurrentDictionary<string, (long Count, double Ms)> _sums = new();
    private readonly ActivityListener _listener;
    private readonly MeterListener _meters;
    private long _batches;
    private long _batchedTexts;

    public SpanTally()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => Sources.Contains(s.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a => Add(a.Source.Name == "Microsoft.AspNetCore" ? "http server (Kestrel to response)" : a.DisplayName, a.Duration.TotalMilliseconds),
        };
        ActivitySource.AddActivityListener(_listener);
        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name is "orleansmemory.operation.duration" or "orleansmemory.embedding.batch_size")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "operation")
                {
                    Add("grain " + tag.Value, seconds * 1000);
                }
            }
        });
        _meters.SetMeasurementEventCallback<int>((_, texts, _, _) =>
        {
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _batchedTexts, texts);
        });
        _meters.Start();
    }

    /// <summary>Model batches and the texts they carried since the process started (the batching generator's histogram).</summary>
    public (long Batches, long Texts) ModelBatches => (Interlocked.Read(ref _batches), Interlocked.Read(ref _batchedTexts));

    public void Reset() => _sums.Clear();

    public IReadOnlyDictionary<string, (long Count, double Ms)> Snapshot() => new Dictionary<string, (long, double)>(_sums);

    public void Dispose()
    {
        _listener.Dispose();
        _meters.Dispose();
    }

    private void Add(string name, double ms) => _sums.AddOrUpdate(name, (1, ms), (_, s) => (s.Count + 1, s.Ms + ms));
}
