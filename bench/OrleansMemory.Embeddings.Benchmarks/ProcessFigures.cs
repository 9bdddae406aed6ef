using System.Diagnostics;

namespace OrleansMemory.Embeddings.Benchmarks;

/// <summary>This process's resident memory (from /proc/self/status) and CPU time.</summary>
internal readonly record struct ProcessFigures(double RssMb, double AnonMb, double FileMb, double PeakMb, TimeSpan Cpu)
{
    public static ProcessFigures Now()
    {
        double Read(string[] lines, string key) =>
            lines.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal)) is { } line
                ? double.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024
                : double.NaN;
        var status = File.Exists("/proc/self/status") ? File.ReadAllLines("/proc/self/status") : [];
        using var process = Process.GetCurrentProcess();
        return new(Read(status, "VmRSS:"), Read(status, "RssAnon:"), Read(status, "RssFile:"), Read(status, "VmHWM:"), process.TotalProcessorTime);
    }
}
