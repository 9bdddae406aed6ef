using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansMemory.Abstractions;
using OrleansMemory.Grains.Storage;

namespace OrleansMemory.Grains.Conversations;

/// <summary>Background memory formation: after an append is acknowledged, a grain timer (interleaving, so appends never
/// wait for it) gives the new messages to the chosen <see cref="IMemoryExtractor"/> in batches, in order, and offers what
/// it finds to the user grain with ids derived from conversation + generation + sequence + index; then it stores a
/// <see cref="MemoryFormationRecord"/> per memory and moves the durable cursor. A crash between the adds and the cursor
/// replays the step, and the user grain recognises the ids. Failures retry with exponential backoff.</summary>
public sealed partial class ConversationGrain
{
    private readonly SemaphoreSlim _formationWrites = new(1, 1); // the formation log and state: one writer at a time
    private StateRecord<FormationState> _formationState = null!;
    private IGrainTimer? _formationTimer;
    private bool _forming;
    private int _formationEpoch;
    private ActivityContext _lastAppendContext;
    private long? _waitingSince; // when the first append the timer has not picked up yet arrived (debounce cap)

    private MemoryFormationOptions FormationOptions => Options.Formation;

    private long Pending => Settings is null ? 0 : Math.Max(0, _messages.Count - _formationState.State.FormedThrough);

    /// <summary>The settings formation runs with: the conversation's own; else, unless it was turned off, the silo-wide
    /// default for the user its appends named; null: formation does not run.</summary>
    private FormationSettings? Settings => _formationState.State switch
    {
        { Settings: { } own } => own,
        { Off: false, DefaultUserId: { } user } when FormationOptions.Default is { } silo => silo.For(user),
        _ => null,
    };

    /// <summary>The silo-wide default applies to this conversation (it has no settings of its own and was not turned off).</summary>
    private bool UnderDefault => _formationState.State is { Settings: null, Off: false } && FormationOptions.Default is not null;

    /// <inheritdoc />
    public async Task<FormationStatus> SetFormationAsync(FormationSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Guard.Id(settings.UserId, "settings.UserId", Options);
        if (settings.Instructions is { Length: > 0 } instructions)
        {
            Guard.Text(instructions, Options.MaxReasonLength, "settings.Instructions");
        }

        var extractor = Extractor(settings.Extractor);
        if (extractor is ChatClientMemoryExtractor { IsConfigured: false })
        {
            throw new MemoryValidationException("The llm extractor needs a chat client; none is configured (OrleansMemory:ConflictClassifier).", "settings.Extractor");
        }

        await LinkUserAsync(settings.UserId, cancellationToken);
        await WithFormationWritesAsync(async () =>
        {
            var state = _formationState.State;
            if (Settings?.UserId != settings.UserId)
            {
                state.FormedThrough = 0; // a new user: the whole history is formed for them (ids repeat for a user seen before, and are recognised)
            }

            state.Settings = settings with { Extractor = extractor.Name, Instructions = string.IsNullOrWhiteSpace(settings.Instructions) ? null : settings.Instructions };
            state.Off = false;
            state.Attempts = 0;
            state.LastError = null;
            state.LastErrorAt = null;
            _formationEpoch++;
            await _formationState.WriteAsync();
        });
        ScheduleFormation(FormationOptions.Delay);
        return Status()!;
    }

    /// <inheritdoc />
    public Task<FormationStatus?> GetFormationAsync(CancellationToken cancellationToken = default) => Task.FromResult(Status());

    /// <inheritdoc />
    public async Task<bool> DisableFormationAsync(CancellationToken cancellationToken = default)
    {
        if (Settings is null && !UnderDefault)
        {
            return false;
        }

        await WithFormationWritesAsync(async () =>
        {
            _formationState.State.Settings = null;
            _formationState.State.Off = true; // the silo-wide default no longer applies to this conversation
            _formationState.State.FormedThrough = 0;
            _formationState.State.Attempts = 0;
            _formationEpoch++;
            await _formationState.WriteAsync();
        });
        return true;
    }

    /// <inheritdoc />
    public async Task ForgetUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        Guard.Id(userId, nameof(userId), Options);
        await WithFormationWritesAsync(async () =>
        {
            _formationEpoch++;
            var kept = _formation.Where(r => r.UserId != userId).ToList();
            if (kept.Count != _formation.Count)
            {
                await _formationLog.ReplaceAllAsync(kept);
                _formation = kept;
                RebuildFormationIndex();
            }

            var state = _formationState.State;
            if (state.Settings?.UserId == userId || state.DefaultUserId == userId || state.Users.Contains(userId))
            {
                if (Settings?.UserId == userId)
                {
                    state.FormedThrough = 0;
                }

                if (state.Settings?.UserId == userId)
                {
                    state.Settings = null;
                }

                if (state.DefaultUserId == userId)
                {
                    state.DefaultUserId = null;
                }

                state.Users.Remove(userId);
                await _formationState.WriteAsync();
            }
        });
    }

    private FormationStatus? Status()
    {
        var state = _formationState.State;
        var setting = state.Settings is null ? FormationStatus.DefaultSetting : FormationStatus.OwnSetting;
        if (Settings is { } s)
        {
            return new FormationStatus(s.UserId, s.Extractor, s.Instructions, state.FormedThrough, Pending, state.LastError, state.LastErrorAt,
                _formation.Count, state.TokensUsed, state.Attempts, setting);
        }

        // Under the silo default, before an append named the user: nothing runs yet.
        return UnderDefault && FormationOptions.Default is { } silo
            ? new FormationStatus(null, silo.Extractor.Trim(), silo.Instructions, state.FormedThrough, 0, state.LastError, state.LastErrorAt,
                _formation.Count, state.TokensUsed, state.Attempts, setting)
            : null;
    }

    private IMemoryExtractor Extractor(string name)
    {
        var extractors = ServiceProvider.GetServices<IMemoryExtractor>().ToList();
        return extractors.LastOrDefault(e => e.Name == name)
            ?? throw new MemoryValidationException(
                $"'{name}' is not a registered extractor; registered: {string.Join(", ", extractors.Select(e => e.Name).Distinct())}.", "settings.Extractor");
    }

    /// <summary>After an append: formation runs soon, in its own turn.</summary>
    private void FormAfterAppend()
    {
        if (Settings is null)
        {
            return;
        }

        _lastAppendContext = Activity.Current?.Context ?? default;
        if (!_forming && _formationState.State.Attempts == 0)
        {
            // Debounced: formation starts once the conversation is quiet for Delay, or MaxDelay after the first waiting
            // append, or at once when a full batch waits, so a burst of appends is formed in its gaps, in one batch.
            var now = Stopwatch.GetTimestamp();
            _waitingSince ??= now;
            var waited = Stopwatch.GetElapsedTime(_waitingSince.Value, now);
            ScheduleFormation(Pending >= FormationOptions.BatchSize || waited >= FormationOptions.MaxDelay ? TimeSpan.Zero : FormationOptions.Delay);
        }
    }

    /// <summary>After the history was replaced: a new generation, formed from its end (the replaced history was formed).</summary>
    private async Task FormAfterReplaceAsync()
    {
        if (!_formationState.Exists && _formationState.State.Settings is null)
        {
            return;
        }

        await WithFormationWritesAsync(async () =>
        {
            _formationEpoch++;
            _formationState.State.Generation++;
            _formationState.State.FormedThrough = _messages.Count;
            _formationState.State.Attempts = 0;
            await _formationState.WriteAsync();
        });
    }

    /// <summary>On activation: a backlog left by the previous activation (a crash, a deactivation) resumes.</summary>
    private async Task ResumeFormationAsync()
    {
        await _formationState.ReadAsync();
        if (Pending > 0)
        {
            ScheduleFormation(FormationOptions.Delay);
        }
    }

    private void ScheduleFormation(TimeSpan due)
    {
        if (_formationTimer is null)
        {
            _formationTimer = this.RegisterGrainTimer(FormAsync,
                new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = true });
        }
        else
        {
            _formationTimer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The timer's turn: forms batch after batch until nothing is pending or a step fails (then retries later).</summary>
    private async Task FormAsync(CancellationToken cancellationToken)
    {
        if (_forming)
        {
            return;
        }

        _forming = true;
        _waitingSince = null;
        try
        {
            if (Pending > 0)
            {
                await RecordPendingWorkAsync();
            }

            var limiter = ServiceProvider.GetRequiredService<FormationLimiter>();
            while (Pending > 0 && !cancellationToken.IsCancellationRequested)
            {
                bool formed;
                using (await limiter.EnterAsync(cancellationToken))
                {
                    formed = await FormStepAsync(cancellationToken);
                }

                if (!formed)
                {
                    var attempts = Math.Min(_formationState.State.Attempts, 20);
                    var delay = TimeSpan.FromTicks(Math.Min(FormationOptions.MaxRetryDelay.Ticks, FormationOptions.RetryDelay.Ticks << Math.Max(0, attempts - 1)));
                    ScheduleFormation(delay);
                    return;
                }
            }
        }
        finally
        {
            _forming = false;
        }
    }

    private static ILogger Logger(IServiceProvider services) =>
        services.GetService<ILogger<ConversationGrain>>() ?? (ILogger)NullLogger.Instance;

    private async Task WithFormationWritesAsync(Func<Task> write)
    {
        await _formationWrites.WaitAsync();
        try
        {
            await write();
        }
        finally
        {
            _formationWrites.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A memory formation step failed ({ErrorKind}, attempt {Attempt}); it is retried")]
    private static partial void LogWarningStepFailed(ILogger logger, string errorKind, int attempt, Exception exception);
}
