using OrleansMemory.Abstractions;
using OrleansMemory.Grains.Formation;

namespace OrleansMemory.Grains.Users;

/// <summary>Memories formed by conversations: idempotent adds by the derived id, the link to the source conversation,
/// and the conversations erasure must reach.</summary>
public sealed partial class UserGrain
{
    /// <inheritdoc />
    public Task<IReadOnlyList<AddMemoryResult>> AddFormedMemoriesAsync(IReadOnlyList<FormedMemory> memories, CancellationToken cancellationToken = default) =>
        StoreTogetherAsync(() => AddFormedAsync(memories, cancellationToken)); // a step's memories are stored together

    private async Task<IReadOnlyList<AddMemoryResult>> AddFormedAsync(IReadOnlyList<FormedMemory> memories, CancellationToken cancellationToken)
    {
        Guard.Items(memories, nameof(memories), Options);
        for (var i = 0; i < memories.Count; i++)
        {
            Validate(memories[i], $"memories[{i}]");
        }

        if (memories.GroupBy(m => m.MemoryId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new MemoryValidationException($"memories offers the formed memory '{twice.Key}' more than once.", nameof(memories));
        }

        foreach (var conversation in memories.Select(m => m.ConversationKey).Distinct(StringComparer.Ordinal))
        {
            await RememberFormingConversationAsync(conversation);
        }

        // What earlier offers stored is answered as they were; the rest is embedded in one batch: a step's memories
        // cost the model one call, not one each, run as background work that gives way to interactive calls.
        var keys = memories.Select(FormedKey).ToList();
        var earlier = keys.Select((key, i) => EarlierOffer(memories[i], key)).ToList();
        var fresh = memories.Where((_, i) => earlier[i] is null).ToList();
        var vectors = _generator is null || fresh.Count == 0
            ? null
            : (await _generator.GenerateAsync(fresh.Select(m => m.Text), FormationEmbeddings.Options(), cancellationToken)).Select(e => e.Vector.ToArray()).ToList();
        var results = new List<AddMemoryResult>(memories.Count);
        var next = 0;
        for (var i = 0; i < memories.Count; i++)
        {
            if (earlier[i] is { } replayed)
            {
                results.Add(replayed);
                continue;
            }

            var memory = memories[i];
            var vector = vectors?[next++];
            // The vectors come from the silo's generator, as the embedding filter's do: say so for the source check.
            RequestContext.Set(AddMemoryCallFilter.SourceKey, GeneratorModel);
            try
            {
                results.Add(await AddCheckedAsync(memory.Text, vector, memory.Type, memory.Importance, null, memory, cancellationToken, keys[i]));
            }
            finally
            {
                RequestContext.Remove(AddMemoryCallFilter.SourceKey);
            }
        }

        return results;
    }

    /// <summary>The formed id is the offer's idempotency key (the same mechanism as AddMemoryAsync's keys): its record is
    /// stored with the memory it created or merged into. A retried offer may carry another text (an extractor is not
    /// deterministic), so the request part is constant and a retry is never refused.</summary>
    private IdempotencyRecord FormedKey(FormedMemory memory) => new(Idempotency.HashId("formed", memory.MemoryId), "formed", Now);

    /// <summary>What an earlier offer of <paramref name="memory"/> answered, when it was stored (its key recorded, or, for
    /// data stored before keys were, its id taken); null for a new offer.</summary>
    private AddMemoryResult? EarlierOffer(FormedMemory memory, IdempotencyRecord key) =>
        FindKeyed(key.Key, key.Request) is [var first, ..] ? Replay(first.Row, first.Record)
        : _memoryIndex.TryGetValue(memory.MemoryId, out var row) && _memories[row] is { } existing
            ? new AddMemoryResult(AddMemoryOutcome.Added, existing, null, null, [])
            : null;

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
    public Task LinkConversationAsync(string conversationKey, CancellationToken cancellationToken = default)
    {
        Guard.Id(conversationKey, nameof(conversationKey), Options);
        return RememberFormingConversationAsync(conversationKey);
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
