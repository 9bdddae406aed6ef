using OrleansMemory.Abstractions;
using OrleansMemory.Grains.Formation;

namespace OrleansMemory.Grains.Users;

/// <summary>Memories formed by conversations: idempotent adds by the derived id, the link to the source conversation,
/// and the conversations erasure must reach.</summary>
public sealed partial class UserGrain
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<AddMemoryResult>> AddFormedMemoriesAsync(IReadOnlyList<FormedMemory> memories, CancellationToken cancellationToken = default)
    {
        Guard.Items(memories, nameof(memories), Options);
        for (var i = 0; i < memories.Count; i++)
        {
            Validate(memories[i], $"memories[{i}]");
        }

        foreach (var conversation in memories.Select(m => m.ConversationKey).Distinct(StringComparer.Ordinal))
        {
            await RememberFormingConversationAsync(conversation);
        }

        // One batch for the texts not offered before: a step's memories cost the model one call, not one each.
        var fresh = memories.Where(m => !IsFormed(m)).ToList();
        var vectors = _generator is null || fresh.Count == 0
            ? null
            : (await _generator.GenerateAsync(fresh.Select(m => m.Text), cancellationToken: cancellationToken)).Select(e => e.Vector.ToArray()).ToList();
        var results = new List<AddMemoryResult>(memories.Count);
        var next = 0;
        foreach (var memory in memories)
        {
            // The formed id is the offer's idempotency key (the same mechanism as AddMemoryAsync's keys): its record is
            // stored with the memory it created or merged into. A retried offer may carry another text (an extractor is
            // not deterministic), so the request part is constant and a retry is never refused.
            var key = FormedKey(memory);
            if (FindKeyed(key.Key, key.Request) is [var first, ..])
            {
                results.Add(Replay(first.Row, first.Record));
                continue;
            }

            if (_memoryIndex.TryGetValue(memory.MemoryId, out var row) && _memories[row] is { } existing)
            {
                results.Add(new AddMemoryResult(AddMemoryOutcome.Added, existing, null, null, [])); // stored before keys were recorded
                continue;
            }

            var vector = vectors?[next++];
            // The vectors come from the silo's generator, as the embedding filter's do: say so for the source check.
            RequestContext.Set(TextEmbeddingCallFilter.SourceKey, GeneratorModel);
            try
            {
                results.Add(await AddCheckedAsync(memory.Text, vector, memory.Type, memory.Importance, null, memory, cancellationToken, key));
            }
            finally
            {
                RequestContext.Remove(TextEmbeddingCallFilter.SourceKey);
            }
        }

        return results;
    }

    /// <summary>Whether an earlier offer of <paramref name="memory"/> was stored (its key recorded, or, for data stored
    /// before keys were, its id taken): the batch of vectors and the loop skip the same memories.</summary>
    private bool IsFormed(FormedMemory memory) =>
        FindKeyed(FormedKey(memory).Key, "formed") is [_, ..] || _memoryIndex.TryGetValue(memory.MemoryId, out var row) && _memories[row] is not null;

    private IdempotencyRecord FormedKey(FormedMemory memory) => new(Idempotency.HashId("formed", memory.MemoryId), "formed", Now);

    private void Validate(FormedMemory memory, string name)
    {
        ArgumentNullException.ThrowIfNull(memory, name);
        Guard.Id(memory.MemoryId, name + ".MemoryId", Options);
        Guard.Text(memory.Text, Options.MaxMemoryTextLength, name + ".Text");
        Guard.Text(memory.Type, MaxTypeLength, name + ".Type");
        Guard.UnitInterval(memory.Importance, name + ".Importance");
        Guard.Id(memory.ConversationKey, name + ".ConversationKey", Options);
        if (memory.Source is null || memory.Source.Sequences is not { Count: > 0 })
        {
            throw new MemoryValidationException("A formed memory needs its source messages.", name + ".Source");
        }
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
