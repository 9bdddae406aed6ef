using OrleansMemory.Abstractions;

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
            await RecordPendingWorkAsync(); // first: a crash after the mark is finished by the silo's next start
            _profile.State.Erasing = true;
            await _profile.WriteAsync();
        }

        await ForgetFormingConversationsAsync();
        await _memoryLog.ClearAsync();
        await _conflictLog.ClearAsync();
        await _historyLog.ClearAsync();
        await _shortTerm.ClearAsync();
        await _profile.ClearAsync();
        await EraseEarlierVersionsAsync("profile");
        _profile.State.Erasing = false;
        await ForgetPendingWorkAsync();
    }

    /// <summary>Replaces the reasons of every history event of a deleted memory, and of conflict events about it (they
    /// may quote its text or the classifier's explanation of it) and erases the earlier versions of the pages that held them. The event
    /// itself (what happened, when, with which memory) stays.</summary>
    private async Task ScrubHistoryOfAsync(string memoryId)
    {
        var stored = await _historyLog.ReadAllAsync();
        var first = _historyLog.First; // items before it were dropped by retention
        for (var i = 0; i < stored.Count; i++)
        {
            var e = stored[i];
            if (Quotes(e, memoryId) && e.Reason != Erased(memoryId))
            {
                await _historyLog.SetAsync(first + i, e with { Reason = Erased(memoryId) });
                await _historyLog.EraseEarlierVersionsAsync(first + i);
            }
        }

        foreach (var list in _history.Values)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (Quotes(list[i], memoryId))
                {
                    list[i] = list[i] with { Reason = Erased(memoryId) };
                }
            }
        }
    }

    /// <summary>Whether an event's reason may hold the deleted memory's words: its own events, and conflict events of
    /// other memories with it (their reasons are the classifier's explanations, which quote both texts).</summary>
    private static bool Quotes(MemoryHistoryEvent e, string memoryId) => e.Reason is { Length: > 0 }
        && (e.MemoryId == memoryId || (e.RelatedMemoryId == memoryId && e.ConflictId is not null));

    private static string Erased(string memoryId) => $"Details erased with memory {memoryId}.";
}
