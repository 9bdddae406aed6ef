using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrleansMemory.Grains;

/// <summary>The meter <c>OrleansMemory.Formation</c> and the activity source of background memory formation: messages
/// formed, memories formed by outcome, the lag of a step (age of the oldest message it formed), extractor errors and
/// tokens. No ids, no text.</summary>
public static class FormationMetrics
{
    /// <summary>The meter's and the activity source's name.</summary>
    public const string Name = "OrleansMemory.Formation";

    private static readonly Meter Meter = new(Name);

    /// <summary>The activity source of formation steps (one span per step, linked to the append that brought its messages).</summary>
    public static readonly ActivitySource Source = new(Name);

    private static readonly Counter<long> Messages = Meter.CreateCounter<long>(
        "orleansmemory.formation.messages", description: "Conversation messages processed by memory formation.");

    private static readonly Counter<long> Memories = Meter.CreateCounter<long>(
        "orleansmemory.formation.memories", description: "Memories formed, by outcome: added, merged (a duplicate), conflicted.");

    private static readonly Histogram<double> Lag = Meter.CreateHistogram<double>(
        "orleansmemory.formation.lag", unit: "s", description: "Age of the oldest message a formation step processed, when the step ran.");

    private static readonly Counter<long> Errors = Meter.CreateCounter<long>(
        "orleansmemory.formation.errors", description: "Formation steps that failed (and will be retried), by extractor.");

    private static readonly Counter<long> Tokens = Meter.CreateCounter<long>(
        "orleansmemory.formation.tokens", description: "Tokens used by model-backed extractors.");

    private static readonly Histogram<double> Yields = Meter.CreateHistogram<double>(
        "orleansmemory.formation.yield", unit: "s", description: "Time a formation step waited for the silo's CPU to quieten before it ran.");

    internal static void RecordYield(TimeSpan waited) => Yields.Record(waited.TotalSeconds);

    internal static void RecordStep(int messages, TimeSpan lag)
    {
        Messages.Add(messages);
        Lag.Record(Math.Max(0, lag.TotalSeconds));
    }

    internal static void RecordMemory(string outcome) => Memories.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    internal static void RecordError(string extractor) => Errors.Add(1, new KeyValuePair<string, object?>("extractor", extractor));

    internal static void RecordTokens(long tokens)
    {
        if (tokens > 0)
        {
            Tokens.Add(tokens);
        }
    }
}
