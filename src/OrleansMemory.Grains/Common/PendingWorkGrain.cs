using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansMemory.Grains.Storage;

namespace OrleansMemory.Grains;

/// <summary>One shard of the record of grains with unfinished work (<see cref="IPendingWorkGrain"/>), kept in the memory
/// grains' storage provider as the state <c>work</c> of the grain type <c>pendingwork</c>.</summary>
[GrainType("pendingwork")]
public sealed partial class PendingWorkGrain : MemoryGrainBase, IPendingWorkGrain
{
    private readonly StateRecord<PendingWorkState> _work;
    private readonly ILogger<PendingWorkGrain> _logger;
    private IGrainTimer? _timer;

    /// <summary>Creates the grain.</summary>
    public PendingWorkGrain(IOptions<MemoryGrainOptions> options, ILogger<PendingWorkGrain> logger) : base(options)
    {
        _logger = logger;
        _work = Record<PendingWorkState>("work");
    }

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await _work.ReadAsync();
        ArmTimer();
    }

    /// <inheritdoc />
    public async Task AddAsync(GrainId grain, CancellationToken cancellationToken = default)
    {
        var id = grain.ToString();
        if (await ChangeAsync(grains => grains.Add(id)))
        {
            ArmTimer();
        }
    }

    /// <inheritdoc />
    public async Task RemoveAsync(GrainId grain, CancellationToken cancellationToken = default)
    {
        var id = grain.ToString();
        if (await ChangeAsync(grains => grains.Remove(id)))
        {
            await EraseEarlierVersionsAsync("work"); // the id may be an erased user's
        }
    }

    /// <inheritdoc />
    public Task ResumeAllAsync(CancellationToken cancellationToken = default)
    {
        ArmTimer();
        return PokeAsync();
    }

    /// <summary>Applies a change and writes it. Another writer of the record (a second activation during a membership
    /// change, another cluster on the same storage) makes the write fail on its ETag: the record is read again and the
    /// change applied to what is stored, so no entry of either writer is lost.</summary>
    private async Task<bool> ChangeAsync(Func<HashSet<string>, bool> change)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (!change(_work.State.Grains))
            {
                return false;
            }

            try
            {
                await _work.WriteAsync();
                return true;
            }
            catch (InconsistentStateException) when (attempt < 5)
            {
                await _work.ReadAsync();
            }
        }
    }

    private void ArmTimer()
    {
        if (_work.State.Grains.Count > 0 && _timer is null)
        {
            _timer = this.RegisterGrainTimer(_ => PokeAsync(), new GrainTimerCreationOptions(PendingWork.PokePeriod, PendingWork.PokePeriod)
            {
                KeepAlive = true,
            });
        }
    }

    /// <summary>Wakes every recorded grain without waiting for it: a woken grain that finishes its work calls
    /// <see cref="RemoveAsync"/> from its activation, which must not wait behind this turn.</summary>
    private Task PokeAsync()
    {
        if (_work.State.Grains.Count == 0)
        {
            _timer?.Dispose();
            _timer = null;
            return Task.CompletedTask;
        }

        foreach (var id in _work.State.Grains.ToArray())
        {
            _ = WakeAsync(id);
        }

        return Task.CompletedTask;
    }

    private async Task WakeAsync(string id)
    {
        try
        {
            await GrainFactory.GetGrain<IResumableGrain>(GrainId.Parse(id)).ResumeAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogWarningPokeFailed(_logger, ex.GetType().Name); // the next poke tries again
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A grain with unfinished work could not be woken ({ExceptionType}); retrying later")]
    private static partial void LogWarningPokeFailed(ILogger logger, string exceptionType);
}

/// <summary>The grains of one shard with unfinished work, as <see cref="GrainId"/> strings.</summary>
internal sealed class PendingWorkState
{
    /// <summary>The grains.</summary>
    public HashSet<string> Grains { get; set; } = new(StringComparer.Ordinal);
}
