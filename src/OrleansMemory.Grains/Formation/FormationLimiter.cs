using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Statistics;

namespace OrleansMemory.Grains;

/// <summary>Background formation's share of a silo. At most <see cref="MemoryFormationOptions.MaxConcurrentSteps"/> steps
/// run at once, and a step first yields to interactive work: while the silo process's CPU use (Orleans' filtered figure)
/// is at or above <see cref="MemoryFormationOptions.YieldAboveCpuPercent"/>, it waits, for at most
/// <see cref="MemoryFormationOptions.MaxYield"/>, so that a busy silo still forms memories, more slowly. A conversation
/// waiting here waits in its timer's turn, which interleaves: its appends and reads are not held up.</summary>
public sealed class FormationLimiter
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private readonly SemaphoreSlim _slots;
    private readonly MemoryFormationOptions _options;
    private readonly IEnvironmentStatisticsProvider? _statistics;
    private readonly TimeProvider _time;

    /// <summary>Creates the limiter.</summary>
    /// <param name="options">The grain options.</param>
    /// <param name="services">Where Orleans' <see cref="IEnvironmentStatisticsProvider"/> is found; without one, steps never yield.</param>
    public FormationLimiter(IOptions<MemoryGrainOptions> options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        _options = options.Value.Formation;
        _slots = new SemaphoreSlim(_options.MaxConcurrentSteps, _options.MaxConcurrentSteps);
        _statistics = services.GetService<IEnvironmentStatisticsProvider>();
        _time = services.GetService<TimeProvider>() ?? TimeProvider.System;
    }

    /// <summary>Waits for a slot and for the silo to be quiet enough; dispose the result to free the slot.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var slot = new Slot(_slots);
        try
        {
            await YieldWhileBusyAsync(cancellationToken).ConfigureAwait(false);
            return slot;
        }
        catch
        {
            slot.Dispose();
            throw;
        }
    }

    private async Task YieldWhileBusyAsync(CancellationToken cancellationToken)
    {
        if (_statistics is null || _options.YieldAboveCpuPercent >= 100 || _options.MaxYield <= TimeSpan.Zero)
        {
            return;
        }

        var start = _time.GetTimestamp();
        while (_statistics.GetEnvironmentStatistics().FilteredCpuUsagePercentage >= _options.YieldAboveCpuPercent
            && _time.GetElapsedTime(start) < _options.MaxYield)
        {
            await Task.Delay(Poll, _time, cancellationToken).ConfigureAwait(false);
        }

        var yielded = _time.GetElapsedTime(start);
        if (yielded > TimeSpan.Zero)
        {
            FormationMetrics.RecordYield(yielded);
        }
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
