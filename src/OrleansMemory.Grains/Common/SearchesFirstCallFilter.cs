using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace OrleansMemory.Grains;

/// <summary>Searches first: a call to a memory grain that does not interleave (every write and the plain reads) first
/// waits for the searches in flight on the silo when it arrived (<see cref="SearchLoad.WaitForSearchesInFlightAsync"/>),
/// once per call. Searches themselves (<see cref="AlwaysInterleaveAttribute"/>) go straight in. Registered by
/// <c>AddMemoryGrains</c>; off with <see cref="MemoryGrainOptions.WritesYieldToSearches"/>.</summary>
internal sealed class SearchesFirstCallFilter(SearchLoad load, IOptions<MemoryGrainOptions> options) : IIncomingGrainCallFilter
{
    private readonly bool _enabled = options.Value.WritesYieldToSearches;
    private readonly ConcurrentDictionary<MethodInfo, bool> _interleaves = new();

    /// <inheritdoc />
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (_enabled && load.InFlight > 0 && context.TargetContext?.GrainInstance is MemoryGrainBase && context.InterfaceMethod is { } method
            && !_interleaves.GetOrAdd(method, static m => m.IsDefined(typeof(AlwaysInterleaveAttribute), inherit: true)))
        {
            await load.WaitForSearchesInFlightAsync();
        }

        await context.Invoke();
    }
}
