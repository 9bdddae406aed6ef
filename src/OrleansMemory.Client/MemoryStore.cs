using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Client;

/// <summary>A facade over the memory grains whose methods mirror the earlier storage interface one for one, so that
/// agent-host code written against it ports line by line. The typed grains are available through <see cref="Grains"/>.
/// Conversations written through the store are registered in the conversation directory named by
/// <see cref="MemoryStoreOptions.DirectoryKey"/>.</summary>
public sealed class MemoryStore
{
    private const int PageSize = 1000;
    private readonly MemoryStoreOptions _options;

    /// <summary>Creates the store.</summary>
    /// <param name="grains">The grain factory of the silo (or, later, of a cluster client).</param>
    /// <param name="options">Options; defaults when null.</param>
    public MemoryStore(IGrainFactory grains, IOptions<MemoryStoreOptions>? options = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        Grains = grains;
        _options = options?.Value ?? new MemoryStoreOptions();
    }

    /// <summary>The grain factory, for the typed grain interfaces.</summary>
    public IGrainFactory Grains { get; }

    private IConversationDirectoryGrain Directory => Grains.GetGrain<IConversationDirectoryGrain>(_options.DirectoryKey);

    /// <summary>Stores a conversation's document (its current state, with compressed memories).</summary>
    public async Task<bool> StoreConversationAsync(string conversationId, JsonElement conversation, CancellationToken cancellationToken = default)
    {
        await Conversation(conversationId).StoreDocumentAsync(conversation, cancellationToken).ConfigureAwait(false);
        await Directory.TouchAsync(conversationId, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Loads a conversation's document, or null.</summary>
    public Task<JsonElement?> LoadConversationAsync(string conversationId, CancellationToken cancellationToken = default) =>
        Conversation(conversationId).LoadDocumentAsync(cancellationToken);

    /// <summary>The ids of the conversations in this store's directory, in the order first stored.</summary>
    public async Task<IReadOnlyList<string>> ListConversationsAsync(int offset = 0, int limit = 1000, CancellationToken cancellationToken = default)
    {
        var entries = await Directory.ListAsync(offset, limit, cancellationToken).ConfigureAwait(false);
        return entries.Select(e => e.ConversationId).ToArray();
    }

    /// <summary>Deletes everything of a conversation and removes it from the directory.</summary>
    public async Task<bool> DeleteConversationAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        await Conversation(conversationId).DeleteAsync(cancellationToken).ConfigureAwait(false);
        await Directory.RemoveAsync(conversationId, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Turns a conversation's background memory formation on: its new messages form the memories of user
    /// <paramref name="userId"/> (extractor <c>rules</c> or <c>llm</c>), each with its source; see
    /// <see cref="IConversationGrain.SetFormationAsync"/>.</summary>
    public Task<FormationStatus> SetFormationAsync(string conversationId, string userId, string extractor = FormationSettings.RulesExtractor,
        string? instructions = null, CancellationToken cancellationToken = default) =>
        Conversation(conversationId).SetFormationAsync(new FormationSettings(userId, extractor, instructions), cancellationToken);

    /// <summary>Where a conversation's memory formation stands (its own setting or the silo-wide default), or null when it is off.</summary>
    public Task<FormationStatus?> GetFormationAsync(string conversationId, CancellationToken cancellationToken = default) =>
        Conversation(conversationId).GetFormationAsync(cancellationToken);

    /// <summary>Turns a conversation's memory formation off (formed memories stay); false when it was off.</summary>
    public Task<bool> DisableFormationAsync(string conversationId, CancellationToken cancellationToken = default) =>
        Conversation(conversationId).DisableFormationAsync(cancellationToken);

    /// <summary>Replaces a conversation's raw (uncompressed) message history.</summary>
    public async Task<bool> StoreRawMessagesAsync(string conversationId, IEnumerable<RawMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        await Conversation(conversationId).ReplaceMessagesAsync(messages.ToArray(), cancellationToken).ConfigureAwait(false);
        await Directory.TouchAsync(conversationId, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Appends raw messages to a conversation's history; returns their sequence numbers.</summary>
    public async Task<IReadOnlyList<long>> AppendRawMessagesAsync(string conversationId, IEnumerable<RawMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var sequences = await Conversation(conversationId).AppendMessagesAsync(messages.ToArray(), cancellationToken).ConfigureAwait(false);
        await Directory.TouchAsync(conversationId, cancellationToken).ConfigureAwait(false);
        return sequences;
    }

    /// <summary>Appends raw messages to a conversation's history and names its user (<paramref name="userId"/>, a user
    /// grain key): under the silo-wide formation default the conversation then forms that user's memories; see
    /// <see cref="IConversationGrain.AppendMessagesForUserAsync"/>. Returns the messages' sequence numbers.</summary>
    public async Task<IReadOnlyList<long>> AppendRawMessagesForUserAsync(string conversationId, string userId, IEnumerable<RawMessage> messages,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var sequences = await Conversation(conversationId).AppendMessagesForUserAsync(userId, messages.ToArray(), cancellationToken).ConfigureAwait(false);
        await Directory.TouchAsync(conversationId, cancellationToken).ConfigureAwait(false);
        return sequences;
    }

    /// <summary>Loads a conversation's raw messages after <paramref name="afterSequence"/> (all of them by default), reading page by page.</summary>
    public async Task<IReadOnlyList<RawMessage>> LoadRawMessagesAsync(string conversationId, long afterSequence = 0, int? limit = null,
        CancellationToken cancellationToken = default)
    {
        var conversation = Conversation(conversationId);
        var result = new List<RawMessage>();
        while (limit is null || result.Count < limit)
        {
            var want = Math.Min(PageSize, (limit ?? int.MaxValue) - result.Count);
            var page = await conversation.GetMessagesAsync(afterSequence, want, cancellationToken).ConfigureAwait(false);
            result.AddRange(page.Messages);
            if (!page.HasMore || page.Messages.Count == 0)
            {
                break;
            }

            afterSequence = page.Messages[^1].Sequence;
        }

        return result;
    }

    /// <summary>Stores a memory formation record of a conversation (replacing one with the same id).</summary>
    public async Task<bool> StoreMemoryAsync(string conversationId, MemoryFormationRecord memory, CancellationToken cancellationToken = default)
    {
        await Conversation(conversationId).StoreFormationRecordAsync(memory, cancellationToken).ConfigureAwait(false);
        await Directory.TouchAsync(conversationId, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Loads every memory formation record of a conversation.</summary>
    public async Task<IReadOnlyList<MemoryFormationRecord>> LoadMemoriesAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        var conversation = Conversation(conversationId);
        var result = new List<MemoryFormationRecord>();
        while (true)
        {
            var page = await conversation.LoadFormationRecordsAsync(result.Count, PageSize, cancellationToken).ConfigureAwait(false);
            result.AddRange(page);
            if (page.Count < PageSize)
            {
                return result;
            }
        }
    }

    /// <summary>Appends a reasoning chain to an agent's log (and records its conversation, if it names one). With
    /// <paramref name="idempotencyKey"/> (see <see cref="IdempotencyKeys"/>), a retry with the same key stores nothing again.</summary>
    public async Task<bool> StoreReasoningChainAsync(string agentId, ReasoningChain chain, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        await Grains.GetGrain<IAgentGrain>(agentId).AppendChainAsync(chain with { Steps = chain.Steps.ToArray() }, idempotencyKey, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Loads an agent's reasoning chains, oldest first: all, or the newest <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<ReasoningChain>> LoadReasoningChainsAsync(string agentId, int? limit = null, CancellationToken cancellationToken = default)
    {
        var agent = Grains.GetGrain<IAgentGrain>(agentId);
        if (limit is { } newest)
        {
            return await agent.GetChainsSinceAsync(DateTimeOffset.MinValue, newest, cancellationToken).ConfigureAwait(false);
        }

        var result = new List<ReasoningChain>();
        long after = 0;
        while (true)
        {
            var page = await agent.GetChainsAsync(after, PageSize, cancellationToken).ConfigureAwait(false);
            result.AddRange(page.Chains);
            if (!page.HasMore || page.Chains.Count == 0)
            {
                return result;
            }

            after = page.Chains[^1].Sequence;
        }
    }

    /// <summary>Replaces a conversation's chunking decisions.</summary>
    public async Task<bool> StoreChunksAsync(string conversationId, IEnumerable<ConversationChunk> chunks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        await Conversation(conversationId).StoreChunksAsync(chunks.ToArray(), cancellationToken).ConfigureAwait(false);
        await Directory.TouchAsync(conversationId, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Loads a conversation's chunking decisions.</summary>
    public Task<IReadOnlyList<ConversationChunk>> LoadChunksAsync(string conversationId, CancellationToken cancellationToken = default) =>
        Conversation(conversationId).LoadChunksAsync(cancellationToken);

    /// <summary>Stores an LLM generation cache entry, living for <paramref name="ttl"/> (forever when null). With
    /// <paramref name="idempotencyKey"/> (see <see cref="IdempotencyKeys"/>), a retry with the same key changes nothing,
    /// so a late retry never overwrites a newer value.</summary>
    public async Task<bool> StoreCacheAsync(string cacheKey, JsonElement value, TimeSpan? ttl = null, string? idempotencyKey = null,
        CancellationToken cancellationToken = default)
    {
        await Grains.GetGrain<ICacheGrain>(cacheKey).SetAsync(value, ttl, idempotencyKey, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Loads a cache entry, or null when absent or expired.</summary>
    public async Task<JsonElement?> LoadCacheAsync(string cacheKey, CancellationToken cancellationToken = default)
    {
        var lookup = await Grains.GetGrain<ICacheGrain>(cacheKey).GetAsync(cancellationToken).ConfigureAwait(false);
        return lookup.Found ? lookup.Value : null;
    }

    /// <summary>Stores a piece of system state. With <paramref name="idempotencyKey"/> (see <see cref="IdempotencyKeys"/>),
    /// a retry with the same key changes nothing.</summary>
    public async Task<bool> StoreSystemStateAsync(string stateKey, JsonElement value, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        await Grains.GetGrain<ISystemStateGrain>(stateKey).SetAsync(value, idempotencyKey, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Loads a piece of system state, or null.</summary>
    public Task<JsonElement?> LoadSystemStateAsync(string stateKey, CancellationToken cancellationToken = default) =>
        Grains.GetGrain<ISystemStateGrain>(stateKey).GetAsync(cancellationToken);

    /// <summary>Checks the path from here to storage: a system-state grain writes, reads back and deletes a probe value.</summary>
    public async Task<MemoryStoreHealth> HealthCheckAsync(CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            var probe = Grains.GetGrain<ISystemStateGrain>("__health__/" + Guid.NewGuid().ToString("N"));
            var value = JsonSerializer.SerializeToElement(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await probe.SetAsync(value, cancellationToken: cancellationToken).ConfigureAwait(false);
            var read = await probe.GetAsync(cancellationToken).ConfigureAwait(false);
            await probe.DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var healthy = read is { } r && r.GetRawText() == value.GetRawText();
            return new MemoryStoreHealth(healthy, Stopwatch.GetElapsedTime(start), healthy ? null : "The probe value did not read back.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new MemoryStoreHealth(false, Stopwatch.GetElapsedTime(start), ex.Message);
        }
    }

    /// <summary>Totals over the conversations of this store's directory (up to <see cref="MemoryStoreOptions.MaxConversationsInStats"/>).</summary>
    public async Task<StorageStats> GetStorageStatsAsync(CancellationToken cancellationToken = default)
    {
        var directory = Directory;
        var total = await directory.CountAsync(cancellationToken).ConfigureAwait(false);
        var ids = new List<string>();
        while (ids.Count < Math.Min(total, _options.MaxConversationsInStats))
        {
            var page = await directory.ListAsync(ids.Count, Math.Min(PageSize, _options.MaxConversationsInStats - ids.Count), cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }

            ids.AddRange(page.Select(e => e.ConversationId));
        }

        var stats = await Task.WhenAll(ids.Select(id => Conversation(id).GetStatsAsync(cancellationToken))).ConfigureAwait(false);
        return new StorageStats(total, stats.Length, stats.Sum(s => s.MessageCount), stats.Sum(s => s.MessageBytes),
            stats.Sum(s => (long)s.FormationRecordCount), stats.Sum(s => (long)s.ChunkCount), stats.Count(s => s.HasDocument));
    }

    private IConversationGrain Conversation(string conversationId)
    {
        if (string.IsNullOrWhiteSpace(conversationId))
        {
            throw new MemoryValidationException("conversationId must not be empty.", nameof(conversationId));
        }

        return Grains.GetGrain<IConversationGrain>(conversationId);
    }
}
