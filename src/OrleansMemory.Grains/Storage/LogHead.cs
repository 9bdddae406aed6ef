namespace OrleansMemory.Grains.Storage;

/// <summary>The head record of a paged log: how many items it holds, the page size they were written with, and the
/// first item kept (items before it were dropped by retention; absent in logs written before retention: 0).</summary>
internal sealed class LogHead
{
    /// <summary>The count when the head was written: exact unless <see cref="TailCounted"/>; then it names the tail page
    /// (the page of its last item) and the log holds that page's start plus the tail page's items.</summary>
    public long Count { get; set; }

    /// <summary>Whether appends within the tail page leave the head alone (the tail page's items are counted); false in
    /// logs written before, after a clear began, and while an append that fills the old tail page and moves to new
    /// pages is under way.</summary>
    public bool TailCounted { get; set; }

    public long First { get; set; }

    public int PageSize { get; set; }

    /// <summary>Pages an unfinished clear still has to erase (0 when none): the count is zeroed first, so a clear
    /// resumed after a crash still knows how far the pages went.</summary>
    public long PendingPages { get; set; }

    /// <summary>The owning grain started erasing itself (this log is cleared last); its next activation finishes it.</summary>
    public bool Erasing { get; set; }
}

/// <summary>One page of a paged log.</summary>
internal sealed class LogPage<T>
{
    public List<T> Items { get; set; } = [];
}
