using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansMemory.Silo.Metrics;

/// <summary>The memory service's own instruments (meter <see cref="MeterName"/>, exported by OpenTelemetry with Orleans',
/// ASP.NET Core's, the runtime's and Npgsql's), plus this silo's running totals for the dashboard's charts.</summary>
public sealed class MemoryMetrics
{
    /// <summary>The meter of the instruments below; other OrleansMemory meters are named <c>OrleansMemory.*</c>.</summary>
    public const string MeterName = "OrleansMemory";

    /// <summary>The activity source of storage spans.</summary>
    public static readonly ActivitySource Storage = new("OrleansMemory.Storage");

    private readonly Counter<long> _operations;
    private readonly Histogram<double> _operationDuration;
    private readonly Counter<long> _conflicts;
    private readonly Counter<long> _storageOperations;
    private readonly Histogram<double> _storageDuration;
    private readonly Counter<long> _storageBytes;
    private readonly Counter<long> _storageErrors;

    /// <summary>Creates the instruments on this host's meter factory.</summary>
    public MemoryMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _operations = meter.CreateCounter<long>("orleansmemory.operations", "{operation}",
            "Memory grain operations served by this silo, by grain type, operation and outcome (ok, invalid, not_found, conflict, error).");
        _operationDuration = meter.CreateHistogram<double>("orleansmemory.operation.duration", "s",
            "Time to serve a memory grain operation (search latency: operation=search or search_text).");
        _conflicts = meter.CreateCounter<long>("orleansmemory.conflicts", "{conflict}",
            "Memory conflicts entering a status: pending (detected), auto_resolved, resolved, escalated.");
        _storageOperations = meter.CreateCounter<long>("orleansmemory.storage.operations", "{operation}",
            "Grain storage reads, writes and clears, by provider, grain type, state kind and outcome (ok, etag_conflict, error).");
        _storageDuration = meter.CreateHistogram<double>("orleansmemory.storage.duration", "s", "Time of one grain storage operation.");
        _storageBytes = meter.CreateCounter<long>("orleansmemory.storage.bytes", "By",
            "State bytes serialized for writes and deserialized by reads, by provider, grain type, state kind and direction.");
        _storageErrors = meter.CreateCounter<long>("orleansmemory.storage.errors", "{error}",
            "Grain storage operations that failed, by provider, grain type, state kind, operation and error type.");
    }

    /// <summary>Running totals of this silo for the dashboard.</summary>
    public MetricsTally Tally { get; } = new();

    /// <summary>Records one grain operation.</summary>
    public void RecordOperation(string grainType, string operation, string outcome, string? errorType, TimeSpan elapsed)
    {
        var tags = new TagList { { "grain.type", grainType }, { "operation", operation }, { "outcome", outcome } };
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        _operations.Add(1, tags);
        _operationDuration.Record(elapsed.TotalSeconds, tags);
        Tally.AddOperation(outcome != "ok", elapsed);
    }

    /// <summary>Records conflicts entering <paramref name="status"/>.</summary>
    public void RecordConflicts(string status, int count)
    {
        if (count > 0)
        {
            _conflicts.Add(count, new KeyValuePair<string, object?>("conflict.status", status));
        }
    }

    /// <summary>Records one storage operation.</summary>
    public void RecordStorage(in StorageTags storage, string operation, string outcome, string? errorType, long bytes, TimeSpan elapsed)
    {
        var tags = new TagList
        {
            { "storage.provider", storage.Provider }, { "storage.type", storage.Type }, { "grain.type", storage.GrainType },
            { "state.kind", storage.StateKind }, { "operation", operation }, { "outcome", outcome },
        };
        _storageOperations.Add(1, tags);
        _storageDuration.Record(elapsed.TotalSeconds, tags);
        if (bytes > 0)
        {
            _storageBytes.Add(bytes, new TagList
            {
                { "storage.provider", storage.Provider }, { "storage.type", storage.Type }, { "grain.type", storage.GrainType },
                { "state.kind", storage.StateKind }, { "direction", operation == "read" ? "read" : "write" },
            });
        }

        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
            _storageErrors.Add(1, tags);
        }

        Tally.AddStorage(errorType is not null, bytes, elapsed);
    }
}

/// <summary>The tags of one storage operation.</summary>
/// <param name="Provider">The provider's registered name.</param>
/// <param name="Type">Its type (file, sqlite, postgres, redis, memory).</param>
/// <param name="GrainType">The grain type.</param>
/// <param name="StateKind">The state name without its page number (<c>raw_messages</c> for <c>raw_messages/000042</c>).</param>
public readonly record struct StorageTags(string Provider, string Type, string GrainType, string StateKind);
