using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace OrleansMemory.Samples.Tests;

/// <summary>Runs a built sample with <c>dotnet</c> and collects its output.</summary>
internal static class SampleProcess
{
    /// <summary>The path of a sample's built assembly, recorded at build time by the test project.</summary>
    public static string AssemblyPath(string sample) =>
        typeof(SampleProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == sample).Value
        ?? throw new InvalidOperationException($"No path recorded for {sample}.");

    /// <summary>Runs <c>dotnet assembly args</c>, killing it after <paramref name="timeout"/>; returns its exit code
    /// and its standard output and error, interleaved as they arrived.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string assembly, IEnumerable<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The sample's own directory: the test's output holds other projects' appsettings.json (the silo's), which a
            // sample's host would otherwise read from its working directory.
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
        };
        start.ArgumentList.Add(assembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Append(output, $"[killed after {timeout.TotalSeconds} s]");
        }

        process.WaitForExit(); // flushes the redirected streams
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
