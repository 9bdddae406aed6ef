

namespace OrleansMemory.VectorIndex.Tests;

public sealed class ReadWriteGateTests
{
    /// <summary>Readers on several threads check that two values a writer changes together are never seen apart, while
    /// the writer changes them thousands of times with a pause between the two stores.</summary>
    [Fact]
    public async Task Readers_never_see_a_half_made_change_and_the_writer_gets_in()
    {
        using var gate = new ReadWriteGate();
        long first = 0, second = 0;
        var torn = 0;
        var reads = 0L;
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                gate.EnterRead();
                try
                {
                    if (Volatile.Read(ref first) != Volatile.Read(ref second))
                    {
                        Interlocked.Increment(ref torn);
                    }
                }
                finally
                {
                    gate.ExitRead();
                }

                Interlocked.Increment(ref reads);
            }
        })).ToArray();

        var writes = 0;
        var readsDuringWrites = 0L;
        var writer = Task.Run(() =>
        {
            SpinWait.SpinUntil(() => Interlocked.Read(ref reads) > 1_000); // every reader thread is busy
            var before = Interlocked.Read(ref reads);
            for (; writes < 5_000; writes++)
            {
                gate.EnterWrite();
                try
                {
                    Volatile.Write(ref first, first + 1);
                    Thread.SpinWait(50);
                    Volatile.Write(ref second, second + 1);
                }
                finally
                {
                    gate.ExitWrite();
                }

                Thread.SpinWait(200); // room for readers between writes
            }

            readsDuringWrites = Interlocked.Read(ref reads) - before;
        });

        await writer.WaitAsync(TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, torn);
        Assert.Equal(5_000, writes);
        Assert.Equal(5_000L, second);
        Assert.True(readsDuringWrites > 0, "readers got in between the writes");
    }
}
