using System.Diagnostics;

namespace OrleansMemory.VectorIndex.Tests;

/// <summary>The owner's other calls wait for the searches in flight when they arrive (and only for those), at most
/// <see cref="SearchScheduler.MaxWait"/>; searches run beside each other on the pool.</summary>
public sealed class SearchSchedulerTests
{
    [Fact]
    public async Task A_call_waits_for_the_searches_in_flight_when_it_arrived_and_not_for_later_ones()
    {
        using var scheduler = new SearchScheduler();
        Assert.False(await scheduler.WaitForSearchesInFlightAsync()); // nothing in flight: no wait

        using var first = new ManualResetEventSlim();
        var running = scheduler.RunAsync(() => first.Wait(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, scheduler.InFlight);
        var waiting = scheduler.WaitForSearchesInFlightAsync().AsTask();

        using var later = new ManualResetEventSlim();
        var laterSearch = scheduler.RunAsync(() => later.Wait(TimeSpan.FromSeconds(10)));
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);

        first.Set();
        Assert.True(await running);
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(0.5))); // released by the first search, not the later one
        Assert.Equal(1, scheduler.InFlight);
        later.Set();
        await laterSearch;
        Assert.Equal(0, scheduler.InFlight);
    }

    [Fact]
    public async Task A_failed_search_is_counted_out_too()
    {
        using var scheduler = new SearchScheduler();
        await Assert.ThrowsAsync<InvalidOperationException>(() => scheduler.RunAsync<int>(() => throw new InvalidOperationException("bad query")));
        Assert.Equal(0, scheduler.InFlight);
        Assert.False(await scheduler.WaitForSearchesInFlightAsync());
    }

    [Fact]
    public async Task A_search_that_never_ends_holds_a_call_back_for_at_most_the_safeguard()
    {
        using var scheduler = new SearchScheduler();
        using var never = new ManualResetEventSlim();
        var stuck = scheduler.RunAsync(() => never.Wait(TimeSpan.FromSeconds(30)));
        var started = Stopwatch.StartNew();
        Assert.True(await scheduler.WaitForSearchesInFlightAsync());
        Assert.InRange(started.Elapsed, SearchScheduler.MaxWait * 0.9, SearchScheduler.MaxWait * 10);
        never.Set();
        await stuck;
    }

    [Fact]
    public async Task The_writer_gets_in_between_searches_and_searches_see_whole_changes()
    {
        using var scheduler = new SearchScheduler();
        long a = 0, b = 0;
        var torn = 0;
        using var stop = new CancellationTokenSource();
        var searches = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (await scheduler.RunAsync(() => Volatile.Read(ref a) != Volatile.Read(ref b)))
                {
                    Interlocked.Increment(ref torn);
                }
            }
        })).ToArray();
        for (var i = 0; i < 2_000; i++)
        {
            using (scheduler.Writing())
            {
                Volatile.Write(ref a, i);
                Thread.SpinWait(50);
                Volatile.Write(ref b, i);
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(searches);
        Assert.Equal(0, torn);
    }
}
