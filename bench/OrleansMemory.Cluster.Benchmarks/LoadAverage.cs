namespace OrleansMemory.Cluster.Benchmarks;

/// <summary>The machine's load average, to print beside the figures (other work shares the cores).</summary>
internal static class LoadAverage
{
    /// <summary>"1-minute 5-minute 15-minute" from /proc/loadavg, or "n/a".</summary>
    public static string Read()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
