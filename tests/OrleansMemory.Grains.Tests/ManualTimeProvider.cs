using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace OrleansMemory.Grains.Tests;

/// <summary>A clock the test moves by hand (timers still run on real time).</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private long _ticks = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero).UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    /// <summary>Makes this the silo's clock for grains, keeping Orleans' own background work (membership, activation
    /// collection, directory) on real time so that moving the clock by a year does not fail the cluster.</summary>
    public void Register(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(this);
        services.UseTimeProviderForBackgroundAreas(System);
    }
}
