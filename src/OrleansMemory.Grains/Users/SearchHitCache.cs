using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Users;

/// <summary>The memories most recently made from rows for search hits, shared by every user of the silo and bounded
/// (<see cref="Size"/> entries, a few MiB). A row holds a memory in compact form (<see cref="MemoryRows"/>), and making
/// the <see cref="SemanticMemory"/> decodes its text and parses its metadata again: beside a storm of searches that was
/// most of what the silo allocated, and the collections it caused stopped every other call's threads. A hot user's hits
/// repeat, so each is made once. An entry names its rows' owner and row; the owner forgets a row whenever the row changes
/// (as the grain's single writer, while no search reads it), so an entry is never stale. Thread-safe.</summary>
internal static class SearchHitCache
{
    /// <summary>Entries: direct-mapped by owner and row, a newer hit replacing an older one.</summary>
    public const int Size = 1 << Bits;

    /// <summary>The bits of a slot number (the top bits of the owner and row's hash).</summary>
    private const int Bits = 12;
    private static readonly Entry?[] s_entries = new Entry?[Size];
    private static long s_owners;

    /// <summary>A new owner id (one per <see cref="MemoryRows"/> instance).</summary>
    public static long NewOwner() => Interlocked.Increment(ref s_owners);

    /// <summary>The memory cached for the row, or null.</summary>
    public static SemanticMemory? Get(long owner, int row) =>
        Volatile.Read(ref s_entries[Slot(owner, row)]) is { } entry && entry.Owner == owner && entry.Row == row ? entry.Memory : null;

    /// <summary>Caches the memory made from the row.</summary>
    public static void Put(long owner, int row, SemanticMemory memory) => Volatile.Write(ref s_entries[Slot(owner, row)], new Entry(owner, row, memory));

    /// <summary>Drops the row's entry, if it holds one (another owner's entry in the same slot stays).</summary>
    public static void Forget(long owner, int row)
    {
        ref var slot = ref s_entries[Slot(owner, row)];
        if (Volatile.Read(ref slot) is { } entry && entry.Owner == owner && entry.Row == row)
        {
            Interlocked.CompareExchange(ref slot, null, entry);
        }
    }

    private static int Slot(long owner, int row) =>
        (int)((((ulong)owner * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)row * 0xC2B2AE3D27D4EB4FUL)) >> (64 - Bits));

    private sealed record Entry(long Owner, int Row, SemanticMemory Memory);
}
