using System.Globalization;

namespace OrleansMemory.Cluster.Benchmarks;

/// <summary>Prints figures as markdown table rows, each Orleans figure beside its same-run baseline and their ratio.</summary>
internal static class Report
{
    /// <summary>Prints a table header.</summary>
    public static void Header(string title)
    {
        Console.WriteLine();
        Console.WriteLine($"### {title}");
        Console.WriteLine();
        Console.WriteLine("| case | callers | Orleans ops/s | p50 µs | p99 µs | mean µs | baseline | baseline ops/s | p50 µs | p99 µs | mean µs | ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|");
    }

    /// <summary>Prints one row: <paramref name="measured"/> against <paramref name="baseline"/>; ratio = measured / baseline ops/s.</summary>
    public static void Row(Figure measured, Figure baseline)
    {
        var ratio = measured.PerSecond / baseline.PerSecond;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {measured.Name} | {measured.Callers} | {measured.PerSecond:N0} | {measured.P50Us:N1} | {measured.P99Us:N1} | {measured.MeanUs:N1} " +
            $"| {baseline.Name} | {baseline.PerSecond:N0} | {baseline.P50Us:N1} | {baseline.P99Us:N1} | {baseline.MeanUs:N1} | {ratio:0.000} |"));
        Fairness(measured, baseline);
    }

    /// <summary>Prints how evenly the callers were served (operations per caller, fewest and most), for rows with
    /// several callers: a mean latency far above the p99 means a few callers waited very long.</summary>
    public static void Fairness(Figure measured, Figure baseline)
    {
        if (measured.Callers > 1)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"|   ops per caller, fewest-most | | {measured.MinPerCaller:N0}-{measured.MaxPerCaller:N0} | | | | | {baseline.MinPerCaller:N0}-{baseline.MaxPerCaller:N0} | | | | |"));
        }
    }

    /// <summary>Prints a note line under a table.</summary>
    public static void Note(string text) => Console.WriteLine(text);
}
