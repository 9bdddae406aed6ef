using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace OrleansMemory.Grains;

/// <summary>Searches first: while <see cref="SearchLoad.Busy"/>, a call to a memory grain that does not interleave
/// (every write and the plain reads) first waits its turn behind the searches queued before it
/// (<see cref="SearchLoad.YieldAsync"/>), once per call. Searches themselves (<see cref="AlwaysInterleaveAttribute"/>)
/// go straight in. Registered by <c>AddMemoryGrains</c>; off with <see cref="MemoryGrainOptions.WritesYieldToSearches"/>.</summary>
internal sealed class SearchesFirstCallFilter(SearchLoad load, IOptions<MemoryGrainOptions> options) : IIncomingGrainCallFilter
{
    private readonly bool _enabled = options.Value.WritesYieldToSearches;
    private readonly ConcurrentDictionary<MethodInfo, bool> _interleaves = new();

    /// <inheritdoc />
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (_enabled && load.Busy && context.TargetContext?.GrainInstance is MemoryGrainBase && context.InterfaceMethod is { } method
            && !_interleaves.GetOrAdd(method, static m => m.IsDefined(typeof(AlwaysInterleaveAttribute), inherit: true)))
        {
            await load.YieldAsync();
        }

        await context.Invoke();
    }
}
