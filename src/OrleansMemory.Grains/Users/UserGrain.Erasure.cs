namespace OrleansMemory.Grains.Users;

/// <summary>Erasure: a whole user (resumable: the profile says an erasure is under way until every record is gone), and
/// the words of a deleted memory in the history of every memory.</summary>
public sealed partial class UserGrain
{
    /// <summary>Marks the profile as erasing, clears every record (each clear also erases the provider's earlier
    /// versions), the profile last. A crash part-way leaves the mark, and the next activation runs this again.</summary>
    private async Task EraseAllAsync()
    {
        if (!_profile.State.Erasing)
        {
            _profile.State.Erasing = true;
            await _profile.WriteAsync();
        }

        await _memoryLog.ClearAsync();
        await _conflictLog.ClearAsync();
        await _historyLog.ClearAsync();
        await _shortTerm.ClearAsync();
        await _profile.ClearAsync();
        _profile.State.Erasing = false;
    }

    /// <summary>Replaces the reasons of every history event of, or about, a deleted memory (they may quote its text or
    /// the classifier's explanation of it) and erases the earlier versions of the pages that held them. The event
    /// itself (what happened, when, with which memory) stays.</summary>
    private async Task ScrubHistoryOfAsync(string memoryId)
    {
        var stored = await _historyLog.ReadAllAsync();
        for (var i = 0; i < stored.Count; i++)
        {
            var e = stored[i];
            if ((e.MemoryId == memoryId || e.RelatedMemoryId == memoryId) && e.Reason is { Length: > 0 } && e.Reason != Erased(memoryId))
            {
                await _historyLog.SetAsync(i, e with { Reason = Erased(memoryId) });
                await _historyLog.EraseEarlierVersionsAsync(i);
            }
        }

        foreach (var list in _history.Values)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if ((list[i].MemoryId == memoryId || list[i].RelatedMemoryId == memoryId) && list[i].Reason is { Length: > 0 })
                {
                    list[i] = list[i] with { Reason = Erased(memoryId) };
                }
            }
        }
    }

    private static string Erased(string memoryId) => $"Details erased with memory {memoryId}.";
}
