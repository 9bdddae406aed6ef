using Microsoft.Extensions.Options;
using OrleansMemory.Abstractions;
using OrleansMemory.Grains.Storage;

namespace OrleansMemory.Grains.Conversations;

/// <summary>An index of conversations kept as a paged log of entries (<c>entries</c>); touching an entry rewrites only
/// its page (at most once a minute per entry; the latest time is also written when the grain deactivates), removing one
/// leaves a tombstone.</summary>
[GrainType("conversationdirectory")]
public sealed class ConversationDirectoryGrain : MemoryGrainBase, IConversationDirectoryGrain
{
    private readonly PagedLog<DirectoryEntry> _log;
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private List<DirectoryEntry> _entries = [];
    private static readonly TimeSpan PersistInterval = TimeSpan.FromMinutes(1);
    private readonly Dictionary<int, DateTimeOffset> _persistedAt = [];
    private int _live;

    /// <summary>Creates the grain.</summary>
    public ConversationDirectoryGrain(IOptions<MemoryGrainOptions> options) : base(options) =>
        _log = Log<DirectoryEntry>("entries", Options.RecordPageSize);

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _entries = await _log.ReadAllAsync();
        for (var i = 0; i < _entries.Count; i++)
        {
            if (!_entries[i].Removed)
            {
                _index[_entries[i].ConversationId] = i;
                _persistedAt[i] = _entries[i].UpdatedAt;
                _live++;
            }
        }
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        foreach (var (i, persistedAt) in _persistedAt.ToArray())
        {
            if (_entries[i].UpdatedAt != persistedAt && !_entries[i].Removed)
            {
                await _log.SetAsync(i, _entries[i]); // touches held back by the once-a-minute rule
                _persistedAt[i] = _entries[i].UpdatedAt;
            }
        }
    }

    /// <inheritdoc />
    public async Task TouchAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        Guard.Id(conversationId, nameof(conversationId), Options);
        var now = Now;
        if (_index.TryGetValue(conversationId, out var i))
        {
            // Every store through MemoryStore touches its conversation: persist the time at most once a minute per
            // entry, so that a busy conversation does not rewrite a directory page on every message.
            var updated = _entries[i] with { UpdatedAt = now };
            _entries[i] = updated;
            if (!_persistedAt.TryGetValue(i, out var persistedAt) || now - persistedAt >= PersistInterval || now < persistedAt)
            {
                await _log.SetAsync(i, updated);
                _persistedAt[i] = now;
            }

            return;
        }

        var entry = new DirectoryEntry(conversationId, now, now, Removed: false);
        await _log.AppendAsync([entry]);
        _persistedAt[_entries.Count] = now;
        _index[conversationId] = _entries.Count;
        _entries.Add(entry);
        _live++;
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        Guard.Id(conversationId, nameof(conversationId), Options);
        if (_index.Remove(conversationId, out var i))
        {
            var removed = _entries[i] with { Removed = true, UpdatedAt = Now };
            await _log.SetAsync(i, removed);
            _entries[i] = removed;
            _persistedAt.Remove(i);
            _live--;
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ConversationEntry>> ListAsync(int offset = 0, int limit = 1000, CancellationToken cancellationToken = default)
    {
        Guard.Range(offset, 0, int.MaxValue, nameof(offset));
        Guard.Range(limit, 1, Options.MaxItemsPerCall, nameof(limit));
        IReadOnlyList<ConversationEntry> page = _entries.Where(e => !e.Removed).Skip(offset).Take(limit)
            .Select(e => new ConversationEntry(e.ConversationId, e.CreatedAt, e.UpdatedAt)).ToArray();
        return Task.FromResult(page);
    }

    /// <inheritdoc />
    public Task<int> CountAsync(CancellationToken cancellationToken = default) => Task.FromResult(_live);

    /// <summary>A stored directory entry; removed entries stay as tombstones so that positions do not move.</summary>
    internal sealed record DirectoryEntry(string ConversationId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool Removed);
}
