using System.Diagnostics;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Silo.Metrics;

/// <summary>An Orleans incoming grain call filter over the memory grains (interfaces of OrleansMemory.Abstractions):
/// counts and times each operation by grain type, operation and outcome, counts conflicts by the status they enter,
/// tags the call's span and puts grain type, grain id and tenant in the log scope of everything the call logs.</summary>
internal sealed class OperationMetricsFilter(MemoryMetrics metrics, ILogger<OperationMetricsFilter> logger) : IIncomingGrainCallFilter
{
    private static readonly System.Reflection.Assembly Interfaces = typeof(IUserGrain).Assembly;

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType?.Assembly != Interfaces)
        {
            await context.Invoke();
            return;
        }

        var grainType = context.TargetId.Type.ToString()!;
        var key = context.TargetId.Key.ToString()!;
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var tenant = slash > 0 ? key[..slash] : null;
        var operation = OperationName(context.InterfaceMethod.Name);
        Activity.Current?.SetTag("orleansmemory.grain.type", grainType).SetTag("orleansmemory.tenant", tenant);
        using var scope = logger.BeginScope(new GrainLogScope(grainType, Grains.LogId.Of(key), tenant is null ? null : Grains.LogId.Of(tenant)));
        var started = Stopwatch.GetTimestamp();
        try
        {
            await context.Invoke();
            if (context.Result is IReadOnlyList<AddMemoryAttempt> attempts)
            {
                // A group of adds counts as the adds it carried, each with its own outcome.
                foreach (var attempt in attempts)
                {
                    metrics.RecordOperation(grainType, GroupedAdd, attempt.Error is { } error ? Outcome(error) : "ok", attempt.Error?.GetType().Name,
                        Stopwatch.GetElapsedTime(started));
                    CountConflicts(attempt.Result);
                }

                return;
            }

            metrics.RecordOperation(grainType, operation, "ok", null, Stopwatch.GetElapsedTime(started));
            CountConflicts(context.Result);
        }
        catch (Exception ex)
        {
            var group = context.Request.GetArgumentCount() > 0 && context.Request.GetArgument(0) is IReadOnlyList<AddMemoryCall> adds ? adds.Count : (int?)null;
            for (var i = 0; i < (group ?? 1); i++)
            {
                metrics.RecordOperation(grainType, group is null ? operation : GroupedAdd, Outcome(ex), ex.GetType().Name, Stopwatch.GetElapsedTime(started));
            }

            throw;
        }
    }

    /// <summary>The operation each add of an <see cref="IUserAddsGrain.AddMemoriesAsync"/> group counts as.</summary>
    private static readonly string GroupedAdd = OperationName(nameof(IUserGrain.AddMemoryAsync));

    /// <summary><c>AddMemoryAsync</c> → <c>add_memory</c>.</summary>
    internal static string OperationName(string method) =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(method.EndsWith("Async", StringComparison.Ordinal) ? method[..^5] : method);

    internal static string Outcome(Exception exception) => exception switch
    {
        MemoryNotFoundException => "not_found",
        ArgumentException => "invalid",
        InconsistentStateException => "conflict",
        _ => "error",
    };

    private void CountConflicts(object? result)
    {
        switch (result)
        {
            case AddMemoryResult added:
                foreach (var group in added.Conflicts.GroupBy(c => c.Status))
                {
                    metrics.RecordConflicts(StatusName(group.Key), group.Count());
                }

                break;
            case MemoryConflict conflict:
                metrics.RecordConflicts(StatusName(conflict.Status), 1);
                break;
        }
    }

    private static string StatusName(ConflictStatus status) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());
}
