using System.Collections.Concurrent;
using System.Reflection;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Users;

/// <summary>Searches of a large user run on the thread pool, many at once, beside the grain's single writer (one
/// <see cref="SearchScheduler"/> per user): searches are <see cref="Orleans.Concurrency.AlwaysInterleaveAttribute"/>,
/// so the grain hands each to the pool and is free for the next call; the writer's turns change the matrix and rows
/// only inside <see cref="Writing"/>, and the user's other calls first wait for this user's searches in flight when
/// they arrive (the grain is its own incoming call filter). Other users and other grains never wait for them.</summary>
public sealed partial class UserGrain : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<MethodInfo, bool> Interleaves = new();
    private readonly SearchScheduler _searches = new();

    /// <summary>Lets a call other than a search wait for this user's searches in flight when it arrived.</summary>
    async Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context)
    {
        if (_searches.InFlight > 0 && context.InterfaceMethod is { } method
            && !Interleaves.GetOrAdd(method, static m => m.IsDefined(typeof(Orleans.Concurrency.AlwaysInterleaveAttribute), inherit: true))
            && await _searches.WaitForSearchesInFlightAsync())
        {
            SearchMetrics.RecordWait();
        }

        await context.Invoke();
    }

    /// <summary>Runs a search: inline for a small user (it takes microseconds), else on the thread pool as a reader.</summary>
    private Task<IReadOnlyList<MemorySearchResult>> SearchSharedAsync(float[] query, int topK, double minScore, MemoryFilter? filter) =>
        _matrix.Count < EmbeddingMatrix.ExactScanRows
            ? Task.FromResult(Search(query, topK, minScore, filter))
            : _searches.RunAsync(() => Search(query, topK, minScore, filter));

    /// <summary>Enters as the writer for a change of the in-memory matrix and rows (dispose it; no await inside).</summary>
    private SearchScheduler.WriteScope Writing() => _searches.Writing();
}
