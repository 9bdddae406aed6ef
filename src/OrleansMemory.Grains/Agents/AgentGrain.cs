using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansMemory.Abstractions;
using OrleansMemory.Grains.Storage;

namespace OrleansMemory.Grains.Agents;

/// <summary>An agent: reasoning chains (paged log <c>reasoning_chains</c>) and the conversations it took part in (paged
/// log <c>conversations</c>, one entry per conversation, rewritten in place when touched).</summary>
[GrainType("agent")]
public sealed partial class AgentGrain : MemoryGrainBase, IAgentGrain
{
    private const string TokenEstimate = "ceil(characters / 4) + 4 per message";
    private readonly PagedLog<ReasoningChain> _chainLog;
    private readonly PagedLog<AgentConversation> _conversationLog;
    private readonly Dictionary<string, int> _conversationIndex = new(StringComparer.Ordinal);
    private List<ReasoningChain> _chains = [];
    private List<AgentConversation> _conversations = [];

    /// <summary>Creates the grain.</summary>
    public AgentGrain(IOptions<MemoryGrainOptions> options) : base(options)
    {
        _chainLog = Log<ReasoningChain>("reasoning_chains", Options.ChainPageSize);
        _conversationLog = Log<AgentConversation>("conversations", Options.RecordPageSize);
    }

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _chains = await _chainLog.ReadAllAsync();
        if (_chainLog.IsErasing)
        {
            await EraseAsync(); // an erasure a crash interrupted
            _chains = [];
        }

        _conversations = await _conversationLog.ReadAllAsync();
        for (var i = 0; i < _conversations.Count; i++)
        {
            _conversationIndex[_conversations[i].ConversationId] = i;
        }
    }

    /// <inheritdoc />
    public async Task<long> AppendChainAsync(ReasoningChain chain, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        if (Idempotency.HashKey(idempotencyKey) is { } keyHash)
        {
            ArgumentNullException.ThrowIfNull(chain);
            chain = chain with { ChainId = KeyedChainId(chain, keyHash) };
            if (Replayed(chain, chain.ChainId) is { } sequence)
            {
                return sequence;
            }
        }

        var prepared = Prepare(chain);
        await _chainLog.AppendAsync([prepared]);
        _chains.Add(prepared);
        if (prepared.ConversationId is { } conversationId)
        {
            await TouchConversationAsync(conversationId, prepared.StartedAt);
        }

        return prepared.Sequence;
    }

    /// <inheritdoc />
    public Task<ReasoningChainPage> GetChainsAsync(long afterSequence = 0, int limit = 100, CancellationToken cancellationToken = default)
    {
        Guard.NotNegative(afterSequence, nameof(afterSequence));
        Guard.Range(limit, 1, Options.MaxItemsPerCall, nameof(limit));
        var start = (int)Math.Min(afterSequence, _chains.Count);
        var count = Math.Min(limit, _chains.Count - start);
        return Task.FromResult(new ReasoningChainPage(_chains.GetRange(start, count), start + count < _chains.Count, _chains.Count));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ReasoningChain>> GetChainsSinceAsync(DateTimeOffset since, int limit = 100, CancellationToken cancellationToken = default)
    {
        Guard.Range(limit, 1, Options.MaxItemsPerCall, nameof(limit));
        var matching = _chains.Where(c => c.StartedAt >= since).ToList();
        IReadOnlyList<ReasoningChain> result = matching.Count > limit ? matching.GetRange(matching.Count - limit, limit) : matching;
        return Task.FromResult(result);
    }

    /// <inheritdoc />
    public async Task DeleteChainsAsync(CancellationToken cancellationToken = default)
    {
        await _chainLog.ClearAsync();
        await EraseEarlierVersionsAsync("reasoning_chains/head");
        _chains = [];
    }

    /// <inheritdoc />
    public Task<MemoryContext> GetMemoryContextAsync(int maxTokens = 2000, CancellationToken cancellationToken = default)
    {
        Guard.Range(maxTokens, 1, Options.MaxContextTokens, nameof(maxTokens));
        var kept = new List<ContextMessage>();
        var chainsIncluded = 0;
        var tokens = 0;
        var truncated = false;
        for (var c = _chains.Count - 1; c >= 0 && !truncated; c--)
        {
            var messages = ToMessages(_chains[c]);
            var fromThisChain = 0;
            for (var m = messages.Count - 1; m >= 0; m--)
            {
                var cost = EstimateTokens(messages[m].Content);
                if (tokens + cost > maxTokens)
                {
                    truncated = true;
                    break;
                }

                tokens += cost;
                kept.Add(messages[m]);
                fromThisChain++;
            }

            chainsIncluded += fromThisChain > 0 ? 1 : 0;
        }

        kept.Reverse();
        return Task.FromResult(new MemoryContext(kept, tokens, chainsIncluded, truncated, TokenEstimate));
    }

    /// <inheritdoc />
    public Task RecordConversationAsync(string conversationId, CancellationToken cancellationToken = default)
    {
        Guard.Id(conversationId, nameof(conversationId), Options);
        return TouchConversationAsync(conversationId, Now);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AgentConversation>> GetConversationsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AgentConversation>>(_conversations.OrderByDescending(c => c.LastActivity).ToArray());

    /// <inheritdoc />
    public Task<AgentStats> GetStatsAsync(CancellationToken cancellationToken = default) => Task.FromResult(new AgentStats(
        _chains.Count,
        _chains.Sum(c => (long)c.Steps.Count),
        _chains.Sum(c => c.Steps.Sum(s => (long)(s.InputTokens ?? 0) + (s.OutputTokens ?? 0))),
        _conversations.Count,
        _chains.Count > 0 ? _chains.Max(c => c.StartedAt) : null));

    /// <inheritdoc />
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await EraseAsync();
        }
        catch
        {
            DeactivateOnIdle(); // the next activation finishes the erasure
            throw;
        }

        _chains = [];
        _conversations = [];
        _conversationIndex.Clear();
        DeactivateOnIdle();
    }

    /// <summary>The estimated tokens of one chat message: ceil(characters / 4) + 4.</summary>
    internal static int EstimateTokens(string content) => ((content.Length + 3) / 4) + 4;

    private async Task TouchConversationAsync(string conversationId, DateTimeOffset at)
    {
        if (_conversationIndex.TryGetValue(conversationId, out var i))
        {
            var existing = _conversations[i];
            var updated = existing with
            {
                FirstActivity = at < existing.FirstActivity ? at : existing.FirstActivity,
                LastActivity = at > existing.LastActivity ? at : existing.LastActivity,
            };
            await _conversationLog.SetAsync(i, updated);
            _conversations[i] = updated;
            return;
        }

        var entry = new AgentConversation(conversationId, at, at);
        await _conversationLog.AppendAsync([entry]);
        _conversationIndex[conversationId] = _conversations.Count;
        _conversations.Add(entry);
    }

    private ReasoningChain Prepare(ReasoningChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        Guard.OptionalId(chain.ChainId, "chain.ChainId", Options);
        Guard.OptionalId(chain.ConversationId, "chain.ConversationId", Options);
        Guard.Items(chain.Steps, "chain.Steps", Options, allowEmpty: false);
        Guard.Metadata(chain.Metadata, "chain.Metadata", Options);
        if (chain.Goal is not null)
        {
            Guard.Text(chain.Goal, Options.MaxMemoryTextLength, "chain.Goal", allowEmpty: true);
        }

        var now = Now;
        var steps = new List<ReasoningStep>(chain.Steps.Count);
        for (var i = 0; i < chain.Steps.Count; i++)
        {
            var step = chain.Steps[i];
            var name = $"chain.Steps[{i}]";
            if (!Enum.IsDefined(step.Kind))
            {
                throw new MemoryValidationException($"{name}.Kind {(int)step.Kind} is not a step kind.", name + ".Kind");
            }

            Guard.Text(step.Content, Options.MaxMemoryTextLength, name + ".Content", allowEmpty: true);
            Guard.Value(step.Arguments, name + ".Arguments", Options);
            Guard.Value(step.Result, name + ".Result", Options);
            if (step.Kind is ReasoningStepKind.ToolCall or ReasoningStepKind.ToolResult)
            {
                Guard.Id(step.ToolName, name + ".ToolName", Options);
            }

            if (step.InputTokens < 0 || step.OutputTokens < 0)
            {
                throw new MemoryValidationException($"{name} has a negative token count.", name);
            }

            steps.Add(step.Timestamp == default ? step with { Timestamp = now } : step);
        }

        return chain with
        {
            ChainId = string.IsNullOrEmpty(chain.ChainId) ? NewId() : chain.ChainId,
            ConversationId = string.IsNullOrEmpty(chain.ConversationId) ? null : chain.ConversationId,
            Steps = steps,
            StartedAt = chain.StartedAt == default ? steps[0].Timestamp : chain.StartedAt,
            Sequence = _chains.Count + 1,
        };
    }

    private static List<ContextMessage> ToMessages(ReasoningChain chain)
    {
        var messages = new List<ContextMessage>(chain.Steps.Count + 1);
        if (!string.IsNullOrWhiteSpace(chain.Goal))
        {
            messages.Add(new ContextMessage(MessageRoles.User, chain.Goal));
        }

        foreach (var step in chain.Steps)
        {
            messages.Add(step.Kind switch
            {
                ReasoningStepKind.Thought => new ContextMessage(MessageRoles.Assistant, "Thought: " + step.Content),
                ReasoningStepKind.ToolCall => new ContextMessage(MessageRoles.Assistant,
                    $"Tool call {step.ToolName}({Raw(step.Arguments)}){Suffix(step.Content)}"),
                ReasoningStepKind.ToolResult => new ContextMessage(MessageRoles.Tool,
                    $"Result of {step.ToolName}: {(step.Result is { } r ? Raw(r) : step.Content)}"),
                _ => new ContextMessage(MessageRoles.Assistant, step.Content),
            });
        }

        return messages;
    }

    private static string Raw(JsonElement? value) => value is { } v ? v.GetRawText() : string.Empty;

    private static string Suffix(string content) => string.IsNullOrWhiteSpace(content) ? string.Empty : " " + content;
}
