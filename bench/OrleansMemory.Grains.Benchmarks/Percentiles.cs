using System.Diagnostics;

namespace OrleansMemory.Grains.Benchmarks;

/// <summary>Collects latencies and reports percentiles in milliseconds.</summary>
internal sealed class Percentiles
{
    private readonly List<double> _ms = [];

    public int Count => _ms.Count;

    public double Min => _ms.Min();

    public static Percentiles Merge(IEnumerable<Percentiles> parts)
    {
        var merged = new Percentiles();
        foreach (var part in parts)
        {
            merged._ms.AddRange(part._ms);
        }

        return merged;
    }

    public void Add(long startTimestamp) => _ms.Add(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);

    public double P(double percentile)
    {
        var sorted = _ms.Order().ToArray();
        var index = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
