using System.Globalization;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Storage;

/// <summary>A long, ordered log of a grain kept as fixed-size pages, each its own state record
/// (<c>{name}/000000</c>, <c>{name}/000001</c>, ...), plus a small head record (<c>{name}/head</c>). Appending rewrites
/// only the tail page, and the head only when the tail moves to a new page, so its cost does not grow with the log's
/// length; changing an item rewrites only its page.
/// <para>The count: the head says which page is the tail (<see cref="LogHead.TailCounted"/>) and the tail page's items
/// count, so an append within the tail page is committed by that one page write (atomic in every provider). An append
/// that moves the tail is committed by the head written after its pages: pages beyond the head's tail are not read, so a
/// failure before the head leaves nothing visible. An append that also fills the old tail page first switches the head
/// to an exact count (<see cref="LogHead.Count"/>, as logs written before this kept it), so that its items in the old
/// tail page stay invisible until the head commits them; items a failed append left beyond an exact count are ignored
/// and overwritten. The page size is fixed when the log is first written (kept in the head), so later configuration
/// changes do not misread an existing log. Not thread-safe: use it from grain turns only.</para>
/// <para>While the grain's <see cref="WriteBatch"/> is open, appends and replacements change the log in memory only
/// (appended items are counted and readable at once) and its commit writes each changed page once, the appends by one
/// append as above.</para></summary>
/// <typeparam name="T">The item type; it must round-trip through the provider's JSON serializer.</typeparam>
internal sealed partial class PagedLog<T> : IStagedWrites
{
    private readonly IGrainStorage _storage;
    private readonly GrainId _grainId;
    private readonly string _name;
    private int _configuredPageSize;
    private readonly StateRecord<LogHead> _head;
    private readonly WriteBatch? _batch;
    private (long Index, GrainState<LogPage<T>> State)? _tail;
    private List<T> _staged = [];
    private Dictionary<long, GrainState<LogPage<T>>> _dirtyPages = [];

    /// <summary>Creates a log; nothing is read until <see cref="LoadAsync"/>.</summary>
    /// <param name="storage">The storage provider.</param>
    /// <param name="grainId">The owning grain.</param>
    /// <param name="name">The log's name, the prefix of its state names.</param>
    /// <param name="pageSize">Items per page for a new log.</param>
    /// <param name="batch">The grain's write batch, if it groups its writes.</param>
    public PagedLog(IGrainStorage storage, GrainId grainId, string name, int pageSize, WriteBatch? batch = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        _storage = storage;
        _grainId = grainId;
        _name = name;
        _configuredPageSize = pageSize;
        _batch = batch;
        _head = new StateRecord<LogHead>(storage, grainId, name + "/head");
    }

    /// <summary>The items stored (committed); <see cref="Count"/> adds those staged in an open batch.</summary>
    private long _count;

    /// <summary>The number of items ever appended (positions do not move when old items are dropped).</summary>
    public long Count => _count + _staged.Count;

    /// <summary>The position of the first item kept: items before it were dropped by <see cref="TrimBeforeAsync"/>.</summary>
    public long First => Math.Min(_head.State.First, Count);

    /// <summary>Items per page.</summary>
    public int PageSize => _head.State.PageSize > 0 ? _head.State.PageSize : _configuredPageSize;

    /// <summary>Sets the page size of a log nothing was written to yet (a written log keeps the size in its head).</summary>
    public async Task UsePageSizeIfNewAsync(int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        await EnsureLoadedAsync();
        if (_head.State.PageSize == 0 && Count == 0)
        {
            _configuredPageSize = pageSize;
        }
    }

    /// <summary>The state name of page <paramref name="pageIndex"/>.</summary>
    public string PageName(long pageIndex) => string.Create(CultureInfo.InvariantCulture, $"{_name}/{pageIndex:D6}");

    /// <summary>Whether the owning grain's erasure was started (<see cref="MarkErasingAsync"/>) and not finished: the
    /// grain clears this log last, which ends it.</summary>
    public bool IsErasing => _head.State.Erasing;

    /// <summary>Records in the head that the owning grain is erasing itself, before it clears anything.</summary>
    public async Task MarkErasingAsync()
    {
        _batch?.ThrowIfOpen(_name);
        await EnsureLoadedAsync();
        if (!_head.State.Erasing)
        {
            _head.State.Erasing = true;
            await WriteHeadAsync();
        }
    }

    /// <summary>Reads the head record, and the tail page when the count is the tail page's.</summary>
    public async Task LoadAsync()
    {
        await _head.ReadAsync();
        _count = _head.State.Count;
        if (_head.State.TailCounted)
        {
            var tail = TailOf(_head.State.Count, PageSize);
            var page = await ReadPageStateAsync(tail);
            _tail = (tail, page);
            // At least the head's count: retention may have deleted a tail page whose items were all dropped.
            _count = Math.Max(_head.State.Count, (tail * PageSize) + Math.Min(page.State!.Items.Count, PageSize));
        }
    }

    /// <summary>Reads the head record (and tail page) unless they were read already.</summary>
    public Task EnsureLoadedAsync() => _head.IsLoaded ? Task.CompletedTask : LoadAsync();

    /// <summary>The tail page of a log whose head was last written at <paramref name="count"/> items: the page of its
    /// last item (the head is rewritten whenever the tail moves to another page).</summary>
    private static long TailOf(long count, int size) => count > 0 ? (count - 1) / size : 0;

    /// <summary>Writes the head with the current count.</summary>
    private Task WriteHeadAsync()
    {
        _head.State.PageSize = PageSize;
        _head.State.Count = _count;
        return _head.WriteAsync();
    }

    /// <summary>Reads every item, page by page (<see cref="ReadPagesAsync"/>).</summary>
    public async Task<List<T>> ReadAllAsync(int readAhead = DefaultReadAhead)
    {
        await EnsureLoadedAsync();
        var items = new List<T>((int)Math.Min(Count, int.MaxValue));
        await foreach (var page in ReadPagesAsync(readAhead))
        {
            items.AddRange(page);
        }

        return items;
    }

    /// <summary>Pages read ahead by default: enough to keep a remote database busy while earlier pages are decoded,
    /// few enough to bound memory.</summary>
    public const int DefaultReadAhead = 8;

    /// <summary>The items page by page, in order, with up to <paramref name="readAhead"/> page reads in flight, so
    /// that a long log loads at the storage's throughput rather than one round trip per page; a page is released
    /// once the caller moves on.</summary>
    public IAsyncEnumerable<IReadOnlyList<T>> ReadPagesAsync(int readAhead = DefaultReadAhead) =>
        ReadPagesAsync((_, _, items) => items, readAhead);

    /// <summary>The items page by page, in order, each page read and handed to <paramref name="decode"/> on the thread
    /// pool, with up to <paramref name="readAhead"/> pages in flight: the storage's deserialization and the caller's
    /// decoding of several pages run in parallel, off the grain's scheduler, and the caller's turn only takes the
    /// results in order. <paramref name="decode"/> gets the position of the page's first item, the number of items the
    /// head says the page holds from there (a missing or short page has fewer items) and the items; it must only touch
    /// what no other page's decoding touches.</summary>
    public async IAsyncEnumerable<TPage> ReadPagesAsync<TPage>(Func<long, int, IReadOnlyList<T>, TPage> decode, int readAhead = DefaultReadAhead)
    {
        ArgumentNullException.ThrowIfNull(decode);
        ArgumentOutOfRangeException.ThrowIfLessThan(readAhead, 1);
        await EnsureLoadedAsync();
        var count = _count;
        var first = First;
        var size = PageSize;
        var pages = (count + size - 1) / size;
        var staged = _staged.ToArray();
        var inFlight = new Queue<Task<(GrainState<LogPage<T>> State, TPage Decoded)>>();
        var loadedTail = _tail; // read with the head when the tail page's items are the count: not read twice
        var next = first / size;
        for (var page = next; page < pages; page++)
        {
            while (next < pages && inFlight.Count < readAhead)
            {
                var pageIndex = next++;
                inFlight.Enqueue(Task.Run(async () =>
                {
                    var state = loadedTail is { } tail && tail.Index == pageIndex ? tail.State : await ReadPageStateAsync(pageIndex).ConfigureAwait(false);
                    var items = state.State!.Items;
                    var start = Math.Max(first, pageIndex * size);
                    var expected = (int)(Math.Min(count, (pageIndex + 1) * size) - start);
                    var skip = (int)(start - (pageIndex * size));
                    var take = Math.Clamp(items.Count - skip, 0, expected);
                    IReadOnlyList<T> kept = skip == 0 && take == items.Count ? items : items.GetRange(Math.Min(skip, items.Count), take);
                    return (state, decode(start, expected, kept));
                }));
            }

            var (read, decoded) = await inFlight.Dequeue();
            if (page >= (count - 1) / size)
            {
                _tail = (page, read); // the page appends go to next
            }

            yield return decoded;
        }

        if (staged.Length > 0)
        {
            yield return decode(count, staged.Length, staged);
        }
    }

    /// <summary>Appends items: writes the tail page (and any new pages), and the head when the tail moves (see the
    /// class summary for what commits an append); in an open batch, stages them.</summary>
    public async Task AppendAsync(IReadOnlyList<T> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        await EnsureLoadedAsync();
        if (_batch is { IsOpen: true })
        {
            _staged.AddRange(items);
            _batch.Stage(this);
            return;
        }

        await WriteAppendAsync(items);
    }

    private async Task WriteAppendAsync(IReadOnlyList<T> items)
    {
        var size = PageSize;
        var count = _count;
        var tailCounted = _head.State.TailCounted;
        var lastPage = (count + items.Count - 1) / size;
        var moves = !tailCounted || lastPage != TailOf(_head.State.Count, size);
        if (moves && tailCounted && count % size != 0)
        {
            // Items go into the old tail page and later ones: an exact count hides them until the head below.
            _head.State.TailCounted = false;
            await WriteHeadAsync();
        }

        var next = 0;
        while (next < items.Count)
        {
            var pageIndex = count / size;
            var offset = (int)(count % size);
            var page = await GetTailAsync(pageIndex);
            var pageItems = page.State!.Items;
            if (pageItems.Count > offset)
            {
                pageItems.RemoveRange(offset, pageItems.Count - offset); // left over by a failed append
            }

            var take = Math.Min(size - offset, items.Count - next);
            for (var i = 0; i < take; i++)
            {
                pageItems.Add(items[next + i]);
            }

            await _storage.WriteStateAsync(PageName(pageIndex), _grainId, page);
            count += take;
            next += take;
            if (!moves)
            {
                _count = count; // committed by the page write
            }
        }

        if (moves)
        {
            _count = count;
            _head.State.TailCounted = true;
            try
            {
                await WriteHeadAsync();
            }
            catch
            {
                await LoadAsync(); // what storage holds now decides the count
                throw;
            }
        }
    }

    /// <summary>Drops the items before position <paramref name="first"/> (retention): deletes every page that holds
    /// only dropped items and records the new first position in the head; pages with items still kept are not
    /// rewritten (their dropped items are skipped on reading). Positions of kept items do not change.</summary>
    public async Task TrimBeforeAsync(long first)
    {
        _batch?.ThrowIfOpen(_name);
        await EnsureLoadedAsync();
        var previous = First;
        first = Math.Min(first, Count);
        if (first <= previous)
        {
            return;
        }

        var size = PageSize;
        _head.State.First = first;
        await WriteHeadAsync(); // first, so that a failure below leaves pages nobody reads, never a head pointing at nothing
        for (var pageIndex = previous / size; pageIndex < first / size; pageIndex++)
        {
            var page = new GrainState<LogPage<T>>();
            await _storage.ReadStateAsync(PageName(pageIndex), _grainId, page);
            if (page.RecordExists)
            {
                await _storage.ClearStateAsync(PageName(pageIndex), _grainId, page);
            }
        }
    }

    /// <summary>Replaces the item at <paramref name="index"/>, rewriting only its page.</summary>
    public async Task SetAsync(long index, T item)
    {
        await EnsureLoadedAsync();
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(index, First);
        if (index >= _count)
        {
            _staged[(int)(index - _count)] = item; // appended in the open batch
            _batch!.Stage(this);
            return;
        }

        var size = PageSize;
        var pageIndex = index / size;
        var page = _tail is { } tail && tail.Index == pageIndex ? tail.State : await ReadPageAsync(pageIndex);
        page.State!.Items[(int)(index % size)] = item;
        if (_batch is { IsOpen: true })
        {
            _dirtyPages[pageIndex] = page;
            _batch.Stage(this);
            return;
        }

        await _storage.WriteStateAsync(PageName(pageIndex), _grainId, page);
    }

    /// <summary>Replaces items of page <paramref name="pageIndex"/> by what <paramref name="change"/> returns for each
    /// (given its position and the item), writing the page once. Items outside the log's kept range are not offered.</summary>
    public async Task UpdatePageAsync(long pageIndex, Func<long, T, T> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _batch?.ThrowIfOpen(_name);
        await EnsureLoadedAsync();
        var size = PageSize;
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(pageIndex * size, Count);
        var page = _tail is { } tail && tail.Index == pageIndex ? tail.State : await ReadPageAsync(pageIndex);
        var items = page.State!.Items;
        var end = (int)Math.Min(items.Count, Count - (pageIndex * size));
        for (var i = (int)Math.Max(0, First - (pageIndex * size)); i < end; i++)
        {
            items[i] = change((pageIndex * size) + i, items[i]);
        }

        await _storage.WriteStateAsync(PageName(pageIndex), _grainId, page);
    }

    /// <summary>Erases earlier versions of the page holding item <paramref name="index"/> where the provider keeps them
    /// (<see cref="OrleansMemory.Abstractions.IVersionedGrainStorage"/>): after a write that removed content.</summary>
    public Task EraseEarlierVersionsAsync(long index) => _storage.EraseEarlierVersionsAsync(PageName(index / PageSize), _grainId);

    /// <summary>Replaces every item. The head is emptied first, so a failure part-way leaves an empty log rather than a mix.</summary>
    public async Task ReplaceAllAsync(IReadOnlyList<T> items)
    {
        await ClearAsync();
        await AppendAsync(items);
    }

    /// <summary>Deletes every page record and the head record.</summary>
    public async Task ClearAsync()
    {
        _batch?.ThrowIfOpen(_name);
        await EnsureLoadedAsync();
        var size = PageSize;
        var count = Count;
        var pages = Math.Max(count / size + 1, _head.State.PendingPages);
        if (_head.Exists && count > 0)
        {
            _count = 0;
            _head.State.TailCounted = false;
            _head.State.First = 0;
            _head.State.PendingPages = pages;
            await WriteHeadAsync();
        }

        // Pages up to and including the one after the last full page (a failed append may have left it behind), and
        // every page an interrupted clear had not reached; DefaultReadAhead at a time (pages are independent records,
        // and the head already says how many to reach if this stops part-way).
        for (long start = 0; start < pages; start += DefaultReadAhead)
        {
            var window = (int)Math.Min(DefaultReadAhead, pages - start);
            await Task.WhenAll(Enumerable.Range(0, window).Select(i => ClearPageAsync(start + i)));
        }

        _tail = null;
        _count = 0;
        await _head.ClearAsync();
        _head.State.TailCounted = false;
        _head.State.PageSize = 0;
        _head.State.First = 0;
        _head.State.PendingPages = 0;
        _head.State.Erasing = false;
    }

    private async Task ClearPageAsync(long pageIndex)
    {
        var page = new GrainState<LogPage<T>>();
        await _storage.ReadStateAsync(PageName(pageIndex), _grainId, page);
        if (page.RecordExists)
        {
            await _storage.ClearStateAsync(PageName(pageIndex), _grainId, page);
        }
    }

    private async Task<GrainState<LogPage<T>>> GetTailAsync(long pageIndex) =>
        _tail is { } tail && tail.Index == pageIndex ? tail.State : await ReadPageAsync(pageIndex);

    private async Task<GrainState<LogPage<T>>> ReadPageAsync(long pageIndex)
    {
        var state = await ReadPageStateAsync(pageIndex);
        if (pageIndex >= (Count - 1) / PageSize)
        {
            _tail = (pageIndex, state); // the page appends go to next
        }

        return state;
    }

    /// <summary>Reads a page; touches nothing of the log but its name, so it may run off the grain's scheduler.</summary>
    private async Task<GrainState<LogPage<T>>> ReadPageStateAsync(long pageIndex)
    {
        var state = new GrainState<LogPage<T>>();
        await _storage.ReadStateAsync(PageName(pageIndex), _grainId, state).ConfigureAwait(false);
        state.State ??= new LogPage<T>();
        state.State.Items ??= [];
        return state;
    }
}
