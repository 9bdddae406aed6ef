using System.Collections.Concurrent;
using System.Diagnostics;
using OrleansMemory.Storage;

namespace OrleansMemory.Grains.Benchmarks;

/// <summary>Where a bystander's call waits beside the storm: the thread pool's queue (a probe work item queued every
/// 5 ms to the pool's global queue, timed until it runs; the pool's pending work items and threads sampled at the same
/// moments), the garbage collector's pauses and the file provider's steps (its activity spans, source
/// <see cref="FileStorageActivity.SourceName"/>).</summary>
internal sealed class BystanderProbes : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _spans = new();
    private readonly ConcurrentBag<double> _poolWaits = [];
    private readonly ConcurrentBag<long> _pending = [];
    private readonly ConcurrentBag<int> _threads = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private readonly GcPauses _gcPauses;
    private volatile bool _active;
    private (long Timestamp, long Bytes) _activeSince;
    private long _allocated;
    private TimeSpan _activeTime;

    public BystanderProbes()
    {
        _gcPauses = new GcPauses(() => Active);
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == FileStorageActivity.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a =>
            {
                if (Active)
                {
                    _spans.GetOrAdd($"{a.OperationName} ({Root(a).GetTagItem("grain.type")})", _ => []).Add(a.Duration.TotalMilliseconds);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
        _sampler = Task.Factory.StartNew(Sample, TaskCreationOptions.LongRunning);
    }

    /// <summary>Whether measurements are kept now (this probe's phase is being measured).</summary>
    /// <remarks>Read by the listeners' threads; set by the benchmark's, which also counts the bytes allocated meanwhile.</remarks>
    public bool Active
    {
        get => _active;
        set
        {
            if (value == _active)
            {
                return;
            }

            if (value)
            {
                _activeSince = (Stopwatch.GetTimestamp(), GC.GetTotalAllocatedBytes());
            }
            else
            {
                _allocated += GC.GetTotalAllocatedBytes() - _activeSince.Bytes;
                _activeTime += Stopwatch.GetElapsedTime(_activeSince.Timestamp);
            }

            _active = value;
        }
    }

    /// <summary>One line: the pool probe's wait, the pool's queue and threads, the GC's pauses and the allocation rate, then
    /// each file span's count, p50 and p99.</summary>
    public string Summary()
    {
        static string Cell(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length == 0 ? "-" : $"{sorted.Length}: p50 {At(sorted, 50):F2}, p99 {At(sorted, 99):F2}, max {sorted[^1]:F2} ms";
        }

        var spans = string.Join(Environment.NewLine + "  - ", _spans.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {Cell(s.Value)}"));
        var pending = _pending.Order().ToArray();
        var threads = _threads.Order().ToArray();
        return $"pool queue wait {Cell(_poolWaits)}; pending items p50 {At(pending, 50)}, p99 {At(pending, 99)}; " +
            $"threads {(threads.Length == 0 ? 0 : threads[0])}-{(threads.Length == 0 ? 0 : threads[^1])}; GC pauses {_gcPauses.Summary()} ms, allocated {_allocated / 1048576.0 / Math.Max(_activeTime.TotalSeconds, 1e-9):F0} MiB/s" + (spans.Length > 0 ? Environment.NewLine + "  - " + spans : "");
    }

    public void Dispose()
    {
        _stop.Cancel();
        _sampler.Wait();
        _listener.Dispose();
        _gcPauses.Dispose();
        _stop.Dispose();
    }

    private static Activity Root(Activity activity)
    {
        while (activity.Parent is { } parent)
        {
            activity = parent;
        }

        return activity;
    }

    private static T At<T>(T[] sorted, double percentile) =>
        sorted.Length == 0 ? default! : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private void Sample()
    {
        while (!_stop.IsCancellationRequested)
        {
            if (!Active)
            {
                Thread.Sleep(5);
                continue;
            }

            var queued = Stopwatch.GetTimestamp();
            using var ran = new ManualResetEventSlim();
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                _poolWaits.Add(Stopwatch.GetElapsedTime(queued).TotalMilliseconds);
                ran.Set();
            }, null);
            _pending.Add(ThreadPool.PendingWorkItemCount);
            _threads.Add(ThreadPool.ThreadCount);
            ran.Wait();
            Thread.Sleep(5);
        }
    }
}
