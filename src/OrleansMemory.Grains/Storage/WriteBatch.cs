namespace OrleansMemory.Grains.Storage;

/// <summary>Group commit for one grain: while a batch is open (<see cref="RunAsync{T}"/>), the grain's records and logs
/// change in memory and note what they must write; the batch then stores each changed record once, all at the same time
/// (one storage round and one flush per record, however many changes it took). Several adds of one user served in one
/// call cost the disk what one add costs. Not thread-safe: use it from grain turns only.</summary>
internal sealed class WriteBatch
{
    private readonly List<IStagedWrites> _staged = [];
    private bool _open;

    /// <summary>Whether a batch is open: writes are staged, not stored.</summary>
    public bool IsOpen => _open;

    /// <summary>Counts staged changes: a caller compares it before and after a step to learn whether the step changed
    /// anything that the commit would store.</summary>
    public int Changes { get; private set; }

    /// <summary>Notes that <paramref name="writes"/> has something to store at the commit.</summary>
    public void Stage(IStagedWrites writes)
    {
        Changes++;
        if (!_staged.Contains(writes))
        {
            _staged.Add(writes);
        }
    }

    /// <summary>Refuses an operation on <paramref name="record"/> that stores at once (a clear, a trim, a page rewrite, an
    /// erasure mark) while a batch is open: it would not be part of the batch's commit.</summary>
    public void ThrowIfOpen(string record)
    {
        if (_open)
        {
            throw new InvalidOperationException($"'{record}' stores at once, so it cannot change inside a write batch.");
        }
    }

    /// <summary>Whether <paramref name="writes"/> has something staged.</summary>
    public bool Has(IStagedWrites writes) => _staged.Contains(writes);

    /// <summary>Runs <paramref name="work"/> with a batch open and stores what it staged: first what
    /// <paramref name="storeFirst"/> names (after <paramref name="work"/>; records others refer to, such as new memories
    /// that conflicts name), then everything else at once. Inside an open batch it only runs <paramref name="work"/> (the
    /// outer batch stores). When <paramref name="work"/> or a write fails nothing more is stored and the exception
    /// propagates: the grain's memory is then ahead of storage and the grain must deactivate.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work, Func<IReadOnlyList<IStagedWrites>> storeFirst)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(storeFirst);
        if (_open)
        {
            return await work();
        }

        _open = true;
        try
        {
            var result = await work();
            _open = false;
            var first = storeFirst().Where(Has).ToList();
            var rest = _staged.Except(first).ToList();
            if (rest.Count == 0)
            {
                (first, rest) = ([], first); // nothing refers to them: one round
            }

            if (first.Count > 0)
            {
                await Task.WhenAll(first.Select(w => w.CommitAsync()));
            }

            await Task.WhenAll(rest.Select(w => w.CommitAsync()));
            return result;
        }
        catch
        {
            foreach (var writes in _staged)
            {
                writes.Discard();
            }

            throw;
        }
        finally
        {
            _open = false;
            _staged.Clear();
        }
    }
}

/// <summary>A record or log that can stage its writes in a <see cref="WriteBatch"/>.</summary>
internal interface IStagedWrites
{
    /// <summary>Stores what was staged.</summary>
    Task CommitAsync();

    /// <summary>Forgets what was staged (the batch failed; the grain deactivates).</summary>
    void Discard();
}
