using System.ComponentModel;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansMemory.Abstractions;

namespace OrleansMemory.AgentFramework;

/// <summary>Long-term memory for Microsoft Agent Framework agents, as <c>Mem0Provider</c> but over an OrleansMemory
/// cluster. Before a run it searches the session user's memories with the request's text (the silo embeds it) and
/// injects the best as one delimited user-role message; it offers the model a <c>remember</c> tool. After a run it
/// appends the exchange to the session's conversation grain and the user's short-term memory. Scope comes from the
/// session's state bag (<see cref="OrleansMemorySession"/>), so one instance serves every session. Cluster errors are
/// logged and the run goes on without memory unless <see cref="OrleansMemoryProviderOptions.FailOnMemoryErrors"/>.</summary>
public sealed partial class OrleansMemoryProvider : AIContextProvider
{
    private const int MaxQueryLength = 4000;
    private readonly IGrainFactory _grains;
    private readonly OrleansMemoryProviderOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the provider.</summary>
    /// <param name="grains">The cluster client (or any grain factory of the cluster).</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="logger">Logger; none when null.</param>
    public OrleansMemoryProvider(IGrainFactory grains, OrleansMemoryProviderOptions? options = null, ILogger<OrleansMemoryProvider>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        _grains = grains;
        _options = options ?? new OrleansMemoryProviderOptions();
        var validation = new OrleansMemoryProviderOptionsValidator().Validate(null, _options);
        if (validation.Failed)
        {
            throw new ArgumentException(validation.FailureMessage, nameof(options));
        }

        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    public override IReadOnlyList<string> StateKeys { get; } = [OrleansMemorySession.ScopeStateKey];

    /// <inheritdoc />
    protected override ValueTask<AIContext> InvokingCoreAsync(InvokingContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);

        // A history provider stores every request message, ours included (the default in-memory one does), so the memory
        // message of each earlier run would come back and pile up. Earlier ones are dropped here: the model sees only
        // this run's, and the default history no longer keeps them.
        PruneInMemoryHistory(context.Agent, context.Session);
        var input = context.AIContext;
        if (input.Messages is { } messages && messages.Any(MemoryContextMessage.IsInjected))
        {
#pragma warning disable MAAI001 // the context's constructor is marked for evaluation; it is the documented way to pass a changed context on
            context = new InvokingContext(context.Agent, context.Session, new AIContext
            {
                Instructions = input.Instructions,
                Messages = [.. messages.Where(m => !MemoryContextMessage.IsInjected(m))],
                Tools = input.Tools,
            });
#pragma warning restore MAAI001
        }

        return PlaceBeforeRequestAsync(base.InvokingCoreAsync(context, cancellationToken));
    }

    /// <inheritdoc />
    protected override async ValueTask<AIContext> ProvideAIContextAsync(InvokingContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scope = OrleansMemorySession.Resolve(context.Session, _options.ScopeInitializer);
        var query = string.Join('\n', (context.AIContext.Messages ?? [])
            .Where(m => m.Role == ChatRole.User && !string.IsNullOrWhiteSpace(m.Text)).Select(m => m.Text));
        if (query.Length > MaxQueryLength)
        {
            query = query[^MaxQueryLength..];
        }

        ChatMessage? message = null;
        try
        {
            var user = _grains.GetGrain<IUserGrain>(scope.UserKey);
            IReadOnlyList<MemorySearchResult> memories = _options.MaxMemories > 0 && query.Length > 0
                ? await user.SearchTextAsync(query, _options.MaxMemories, _options.MinScore, null, cancellationToken).ConfigureAwait(false)
                : [];
            IReadOnlyList<ShortTermMessage> recent = _options.ShortTermMessages > 0
                ? await user.GetShortTermMessagesAsync(_options.ShortTermMessages, cancellationToken).ConfigureAwait(false)
                : [];
            IReadOnlyList<MemoryConflict> conflicts = _options.IncludePendingConflicts
                ? await user.GetPendingConflictsAsync(cancellationToken).ConfigureAwait(false)
                : [];
            message = MemoryContextMessage.Create(memories, recent, conflicts);
            LogDebugRecalled(_logger, memories.Count, recent.Count, conflicts.Count);
        }
        catch (Exception ex) when (!_options.FailOnMemoryErrors && !IsCancellation(ex, cancellationToken))
        {
            LogFailure(_logger, "recall", ex);
        }

        return new AIContext
        {
            Messages = message is null ? null : [message],
            Tools = _options.EnableRememberTool ? [RememberTool(scope)] : null,
        };
    }

    /// <inheritdoc />
    protected override ValueTask InvokedCoreAsync(InvokedContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        PruneInMemoryHistory(context.Agent, context.Session);
        return base.InvokedCoreAsync(context, cancellationToken);
    }

    /// <inheritdoc />
    protected override async ValueTask StoreAIContextAsync(InvokedContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scope = OrleansMemorySession.Resolve(context.Session, _options.ScopeInitializer);
        var exchange = context.RequestMessages.Concat(context.ResponseMessages ?? [])
            .Where(m => !MemoryContextMessage.IsInjected(m) && !string.IsNullOrWhiteSpace(m.Text) && (m.Role == ChatRole.User || m.Role == ChatRole.Assistant))
            .ToList();
        if (exchange.Count == 0)
        {
            return;
        }

        try
        {
            if (_options.AppendToConversation && context.Agent.GetService<OrleansChatHistoryProvider>() is null)
            {
                var conversation = _grains.GetGrain<IConversationGrain>(scope.Key(scope.ConversationId!));
                await conversation.AppendMessagesAsync([.. exchange.Select(ChatMessageMapping.ToRawMessage)], cancellationToken).ConfigureAwait(false);
                await _grains.GetGrain<IConversationDirectoryGrain>(scope.DirectoryKey).TouchAsync(scope.ConversationId!, cancellationToken).ConfigureAwait(false);
            }

            if (_options.RecordShortTerm)
            {
                var now = DateTimeOffset.UtcNow;
                await _grains.GetGrain<IUserGrain>(scope.UserKey).AddShortTermMessagesAsync(
                    [.. exchange.Select(m => new ShortTermMessage(m.Role.Value, m.Text, m.CreatedAt ?? now))], cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (!_options.FailOnMemoryErrors && !IsCancellation(ex, cancellationToken))
        {
            LogFailure(_logger, "record", ex);
        }
    }

    /// <summary>Moves the memory message before this run's request (the base class appends it last), so the model reads
    /// the background first and the user's words last, as in a conversation.</summary>
    private static async ValueTask<AIContext> PlaceBeforeRequestAsync(ValueTask<AIContext> merged)
    {
        var context = await merged.ConfigureAwait(false);
        if (context.Messages is null)
        {
            return context;
        }

        var messages = context.Messages.ToList();
        var memory = messages.FindIndex(MemoryContextMessage.IsInjected);
        var request = messages.FindIndex(m => m.GetAgentRequestMessageSourceType() == AgentRequestMessageSourceType.External);
        if (memory > request && request >= 0)
        {
            var message = messages[memory];
            messages.RemoveAt(memory);
            messages.Insert(request, message);
            context.Messages = messages;
        }

        return context;
    }

    private AIFunction RememberTool(OrleansMemoryScope scope) => AIFunctionFactory.Create(
        async ([Description("The fact, preference or instruction to remember, as one self-contained statement about the user.")] string text,
                              CancellationToken cancellationToken,
               [Description("fact, preference, event or instruction; default fact.")] string? type = null) =>
        {
            try
            {
                var result = await _grains.GetGrain<IUserGrain>(scope.UserKey)
                    .AddMemoryAsync(text, null, string.IsNullOrWhiteSpace(type) ? MemoryTypes.Fact : type, 0.5, null, cancellationToken: cancellationToken).ConfigureAwait(false);
                return result.Outcome switch
                {
                    AddMemoryOutcome.Duplicate => "Already remembered.",
                    AddMemoryOutcome.AddedWithConflicts => "Remembered; it contradicts an earlier memory, which the user may be asked about.",
                    _ => "Remembered.",
                };
            }
            catch (Exception ex) when (!_options.FailOnMemoryErrors && !IsCancellation(ex, cancellationToken))
            {
                LogFailure(_logger, "remember", ex);
                return "Memory is unavailable right now; nothing was stored.";
            }
        },
        new AIFunctionFactoryOptions
        {
            Name = "remember",
            Description = "Stores a lasting fact about the user (who they are, what they like, what they asked to be remembered) for later conversations.",
        });

    private static void PruneInMemoryHistory(AIAgent agent, AgentSession? session)
    {
        if (session is null || agent.GetService<InMemoryChatHistoryProvider>() is not { } history)
        {
            return;
        }

        var messages = history.GetMessages(session);
        if (messages.Any(MemoryContextMessage.IsInjected))
        {
            history.SetMessages(session, [.. messages.Where(m => !MemoryContextMessage.IsInjected(m))]);
        }
    }

    private static bool IsCancellation(Exception ex, CancellationToken cancellationToken) =>
        ex is OperationCanceledException && cancellationToken.IsCancellationRequested;

    private static void LogFailure(ILogger logger, string step, Exception ex)
    {
        // The exception's message may name ids; it is logged at Debug only.
        LogWarningFailed(logger, step, ex.GetType().Name);
        LogDebugFailure(logger, ex, step);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "OrleansMemory recalled {Memories} memories, {Recent} recent messages, {Conflicts} conflicts")]
    private static partial void LogDebugRecalled(ILogger logger, int memories, int recent, int conflicts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OrleansMemory {Step} failed ({ErrorType}); the agent run goes on without it")]
    private static partial void LogWarningFailed(ILogger logger, string step, string errorType);

    [LoggerMessage(Level = LogLevel.Debug, Message = "OrleansMemory {Step} failure")]
    private static partial void LogDebugFailure(ILogger logger, Exception exception, string step);
}
