using System.Collections.Concurrent;

namespace OrleansMemory.Runtime.Tests;

/// <summary>A DI singleton test grains write their lifecycle events into.</summary>
public sealed class Recorder
{
    private int _constructed;
    private int _inTurn;
    private int _overlaps;

    public ConcurrentQueue<string> Events { get; } = new();

    public int Constructed => Volatile.Read(ref _constructed);

    public int Overlaps => Volatile.Read(ref _overlaps);

    public void OnConstructed(string what)
    {
        Interlocked.Increment(ref _constructed);
        Events.Enqueue("ctor:" + what);
    }

    public void Record(string what) => Events.Enqueue(what);

    public int Count(string prefix) => Events.Count(e => e.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Marks the start of a turn; counts an overlap if another turn of the same grain is inside.</summary>
    public void EnterTurn()
    {
        if (Interlocked.Increment(ref _inTurn) > 1)
        {
            Interlocked.Increment(ref _overlaps);
        }
    }

    public void ExitTurn() => Interlocked.Decrement(ref _inTurn);
}
