using OrleansMemory.Abstractions;
using OrleansMemory.Grains.Formation;

namespace OrleansMemory.Grains.Users;

/// <summary>Memories formed by conversations: idempotent adds by the derived id, the link to the source conversation,
/// and the conversations erasure must reach.</summary>
public sealed partial class UserGrain
{
    /// <inheritdoc />
    public async Task<AddMemoryResult> AddFormedMemoryAsync(FormedMemory memory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memory);
        Guard.Id(memory.MemoryId, "memory.MemoryId", Options);
        Guard.Text(memory.Text, Options.MaxMemoryTextLength, "memory.Text");
        Guard.Text(memory.Type, MaxTypeLength, "memory.Type");
        Guard.UnitInterval(memory.Importance, "memory.Importance");
        Guard.Id(memory.ConversationKey, "memory.ConversationKey", Options);
        if (memory.Source is null || memory.Source.Sequences is not { Count: > 0 })
        {
            throw new MemoryValidationException("A formed memory needs its source messages.", "memory.Source");
        }

        // The formed id is the offer's idempotency key (the same mechanism as AddMemoryAsync's keys): its record is stored
        // with the memory it created or merged into. A retried offer may carry another text (an extractor is not
        // deterministic), so the request part is constant and a retry is never refused.
        var key = new IdempotencyRecord(Idempotency.HashId("formed", memory.MemoryId), "formed", Now);
        if (FindKeyed(key.Key, key.Request) is [var first, ..])
        {
            return Replay(first.Row, first.Record);
        }

        if (_memoryIndex.TryGetValue(memory.MemoryId, out var row) && _memories[row] is { } existing)
        {
            return new AddMemoryResult(AddMemoryOutcome.Added, existing, null, null, []); // stored before keys were recorded
        }

        await RememberFormingConversationAsync(memory.ConversationKey);
        return await AddCheckedAsync(memory.Text, null, memory.Type, memory.Importance, null, memory, cancellationToken, key);
    }

    /// <inheritdoc />
    public async Task UnlinkConversationAsync(string conversationKey, CancellationToken cancellationToken = default)
    {
        Guard.Id(conversationKey, nameof(conversationKey), Options);
        var local = FormationIds.LocalConversationId(conversationKey, UserId);
        foreach (var row in _memories.Rows(includeArchived: true).ToArray())
        {
            if (_memories[row] is { Source: { } source } memory && source.ConversationId == local)
            {
                await SaveMemoryAsync(row, memory with { Source = null });
            }
        }

        if (_profile.State.FormingConversations?.Remove(conversationKey) == true)
        {
            await _profile.WriteAsync();
        }
    }

    /// <summary>Whether an earlier offer of <paramref name="formedId"/> was found a duplicate of <paramref name="memoryId"/>
    /// (its history names the formed id), so a retried offer must not count the mention again: for duplicates stored
    /// before the offer's key was recorded on the memory (<see cref="FindKeyed"/> finds the newer ones).</summary>
    private async Task<bool> WasFormedIntoAsync(string memoryId, string formedId)
    {
        await EnsureHistoryLoadedAsync();
        return _history.TryGetValue(memoryId, out var events)
            && events.Exists(e => e.Kind == MemoryEventKind.DuplicateSeen && e.RelatedMemoryId == formedId);
    }

    private async Task RememberFormingConversationAsync(string conversationKey)
    {
        var forming = _profile.State.FormingConversations ??= [];
        if (!forming.Contains(conversationKey))
        {
            forming.Add(conversationKey);
            await _profile.WriteAsync();
        }
    }

    /// <summary>Erasure: every conversation that formed this user's memories drops its records of them (the list stays in
    /// the profile until the profile is cleared, so an interrupted erasure reaches them again).</summary>
    private async Task ForgetFormingConversationsAsync()
    {
        foreach (var conversation in _profile.State.FormingConversations ?? [])
        {
            await GrainFactory.GetGrain<IConversationGrain>(conversation).ForgetUserAsync(UserId);
        }
    }
}
