using System.Diagnostics;
using System.Text;

namespace OrleansMemory.Cluster.Tests;

/// <summary>The silo executable (silo/OrleansMemory.Silo, built with this test project) started as a real process on
/// loopback ports, its output kept for the test's log.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private SiloProcess(string name, int httpPort, int siloPort, int gatewayPort, IReadOnlyDictionary<string, string> settings)
    {
        Name = name;
        HttpPort = httpPort;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(SiloDll);
        foreach (var (key, value) in settings.Concat(new Dictionary<string, string>
        {
            ["OrleansMemory:SiloName"] = name,
            ["OrleansMemory:Http:Port"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OrleansMemory:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OrleansMemory:GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OrleansMemory:AdvertisedAddress"] = "127.0.0.1",
            ["Logging:LogLevel:Default"] = "Warning",
        }))
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int HttpPort { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    public bool HasExited => _process.HasExited;

    /// <summary>What the process wrote so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The silo executable next to this test's build configuration.</summary>
    public static string SiloDll { get; } = FindSiloDll();

    /// <summary>Starts a silo on free loopback ports with <paramref name="settings"/> as command-line configuration.</summary>
    public static SiloProcess Start(string name, IReadOnlyDictionary<string, string> settings)
    {
        var ports = LoopbackPorts.Free(3);
        return new(name, ports[0], ports[1], ports[2], settings);
    }

    /// <summary>Starts a silo as <see cref="Start"/> does and waits until it is ready. A port the OS reported free can be
    /// taken by another process before the silo binds it (tests run beside each other): such a start is retried on
    /// other ports.</summary>
    public static async Task<SiloProcess> StartReadyAsync(string name, IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        for (var attempt = 1; ; attempt++)
        {
            var silo = Start(name, settings);
            try
            {
                await silo.WaitReadyAsync(timeout);
                return silo;
            }
            catch (InvalidOperationException) when (attempt < 3 && silo.Log.Contains("Address already in use", StringComparison.Ordinal))
            {
                await silo.DisposeAsync();
            }
            catch
            {
                await silo.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Waits until /health/ready answers 200.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Name} was not ready within {timeout}:\n{Log}");
    }

    /// <summary>SIGKILL: no shutdown, no goodbye to the cluster.</summary>
    public void Kill() => _process.Kill(entireProcessTree: false);

    /// <summary>SIGSTOP: the process stays, its sockets stay open, it answers nothing (a frozen VM, a long GC pause).</summary>
    public void Freeze() => Signal(SigStop);

    /// <summary>SIGCONT: a frozen process runs again.</summary>
    public void Thaw() => Signal(SigCont);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private const int SigCont = 18;
    private const int SigStop = 19;

    private void Signal(int signal)
    {
        if (Native.Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed with errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}.");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private static string FindSiloDll()
    {
        // tests/OrleansMemory.Cluster.Tests/bin/{Configuration}/net10.0/ -> silo/OrleansMemory.Silo/bin/{Configuration}/net10.0/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        for (var directory = output; directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "silo", "OrleansMemory.Silo", "bin", configuration, framework, "OrleansMemory.Silo.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"OrleansMemory.Silo.dll ({configuration}/{framework}) not found above {AppContext.BaseDirectory}; build the solution first.");
    }
}

/// <summary>libc's kill(2), for the signals <see cref="Process"/> does not send (Linux numbering).</summary>
internal static class Native
{
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static extern int Kill(int pid, int signal);
}
