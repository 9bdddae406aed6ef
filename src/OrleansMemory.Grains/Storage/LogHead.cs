namespace OrleansMemory.Grains.Storage;

/// <summary>The head record of a paged log: how many items it holds, the page size they were written with, and the
/// first item kept (items before it were dropped by retention; absent in logs written before retention: 0).</summary>
internal sealed class LogHead
{
    public long Count { get; set; }

    public long First { get; set; }

    public int PageSize { get; set; }
}

/// <summary>One page of a paged log.</summary>
internal sealed class LogPage<T>
{
    public List<T> Items { get; set; } = [];
}
