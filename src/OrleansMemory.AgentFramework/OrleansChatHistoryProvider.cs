using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansMemory.Abstractions;

namespace OrleansMemory.AgentFramework;

/// <summary>A session's chat history kept in its conversation grain (<see cref="IConversationGrain"/>): the messages
/// survive the process, every host process of the cluster shares them, and the HTTP API and MCP read the same
/// conversation. The model is given the newest <see cref="OrleansChatHistoryProviderOptions.MaxMessages"/> messages,
/// optionally within a token budget. Memory messages injected by <see cref="OrleansMemoryProvider"/> (or any other
/// context provider) are not stored: only the caller's messages and the agent's answers are.</summary>
public sealed partial class OrleansChatHistoryProvider : ChatHistoryProvider
{
    private readonly IGrainFactory _grains;
    private readonly OrleansChatHistoryProviderOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the provider.</summary>
    /// <param name="grains">The cluster client (or any grain factory of the cluster).</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="logger">Logger; none when null.</param>
    public OrleansChatHistoryProvider(IGrainFactory grains, OrleansChatHistoryProviderOptions? options = null, ILogger<OrleansChatHistoryProvider>? logger = null)
        : base(storeInputRequestMessageFilter: static messages => messages.Where(
            m => m.GetAgentRequestMessageSourceType() == AgentRequestMessageSourceType.External && !MemoryContextMessage.IsInjected(m)))
    {
        ArgumentNullException.ThrowIfNull(grains);
        _grains = grains;
        _options = options ?? new OrleansChatHistoryProviderOptions();
        if (_options.MaxMessages is < 1 or > 1000)
        {
            throw new ArgumentException($"MaxMessages must be 1-1000 (was {_options.MaxMessages}).", nameof(options));
        }

        if (_options.MaxTokens is < 1)
        {
            throw new ArgumentException($"MaxTokens must be 1 or more (was {_options.MaxTokens}).", nameof(options));
        }

        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> StateKeys { get; } = ["OrleansMemory.ChatHistory"];

    /// <summary>Every stored message of <paramref name="session"/>'s conversation, oldest first (not windowed).</summary>
    public async Task<IReadOnlyList<ChatMessage>> GetMessagesAsync(AgentSession session, CancellationToken cancellationToken = default)
    {
        var grain = Conversation(OrleansMemorySession.Resolve(session, _options.ScopeInitializer));
        List<ChatMessage> all = [];
        long after = 0;
        while (true)
        {
            var page = await grain.GetMessagesAsync(after, 1000, cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Messages.Select(ChatMessageMapping.ToChatMessage));
            if (!page.HasMore || page.Messages.Count == 0)
            {
                return all;
            }

            after = page.Messages[^1].Sequence;
        }
    }

    /// <inheritdoc />
    protected override async ValueTask<IEnumerable<ChatMessage>> ProvideChatHistoryAsync(InvokingContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scope = OrleansMemorySession.Resolve(context.Session, _options.ScopeInitializer);
        try
        {
            var grain = Conversation(scope);
            var count = await grain.GetMessageCountAsync(cancellationToken).ConfigureAwait(false);
            var page = await grain.GetMessagesAsync(Math.Max(0, count - _options.MaxMessages), _options.MaxMessages, cancellationToken).ConfigureAwait(false);
            var window = Window(page.Messages.Select(ChatMessageMapping.ToChatMessage).ToList(), _options.MaxTokens);
            LogDebugProvided(_logger, window.Count, count);
            return window;
        }
        catch (Exception ex) when (!_options.FailOnMemoryErrors && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            LogWarningFailed(_logger, "read", ex.GetType().Name);
            LogDebugFailure(_logger, ex, "read");
            return [];
        }
    }

    /// <inheritdoc />
    protected override async ValueTask StoreChatHistoryAsync(InvokedContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scope = OrleansMemorySession.Resolve(context.Session, _options.ScopeInitializer);
        var messages = context.RequestMessages.Concat(context.ResponseMessages ?? []).Select(ChatMessageMapping.ToRawMessage).ToList();
        if (messages.Count == 0)
        {
            return;
        }

        try
        {
            await Conversation(scope).AppendMessagesAsync(messages, cancellationToken).ConfigureAwait(false);
            await _grains.GetGrain<IConversationDirectoryGrain>(scope.DirectoryKey).TouchAsync(scope.ConversationId!, cancellationToken).ConfigureAwait(false);
            if (scope.AgentId is { } agentId)
            {
                await _grains.GetGrain<IAgentGrain>(scope.Key(agentId)).RecordConversationAsync(scope.ConversationId!, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (!_options.FailOnMemoryErrors && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            LogWarningFailed(_logger, "write", ex.GetType().Name);
            LogDebugFailure(_logger, ex, "write");
        }
    }

    /// <summary>The newest messages within about <paramref name="maxTokens"/> tokens (4 characters a token; the newest
    /// message is always kept); all of them without a budget.</summary>
    internal static List<ChatMessage> Window(List<ChatMessage> messages, int? maxTokens)
    {
        if (maxTokens is not { } budget)
        {
            return messages;
        }

        var start = messages.Count;
        var used = 0;
        while (start > 0)
        {
            var tokens = EstimateTokens(messages[start - 1]);
            if (start < messages.Count && used + tokens > budget)
            {
                break;
            }

            used += tokens;
            start--;
        }

        return messages[start..];
    }

    private static int EstimateTokens(ChatMessage message) => 4 + (message.Text.Length + 3) / 4;

    private IConversationGrain Conversation(OrleansMemoryScope scope) => _grains.GetGrain<IConversationGrain>(scope.Key(scope.ConversationId!));

    [LoggerMessage(Level = LogLevel.Debug, Message = "OrleansMemory history gave {Given} of {Stored} messages")]
    private static partial void LogDebugProvided(ILogger logger, int given, long stored);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OrleansMemory history {Step} failed ({ErrorType}); the agent run goes on")]
    private static partial void LogWarningFailed(ILogger logger, string step, string errorType);

    [LoggerMessage(Level = LogLevel.Debug, Message = "OrleansMemory history {Step} failure")]
    private static partial void LogDebugFailure(ILogger logger, Exception exception, string step);
}
