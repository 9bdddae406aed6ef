using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OrleansMemory.Silo.Tests;

/// <summary>A redis-server or PostgreSQL instance of one test alone, on a free loopback port with its data in a
/// temporary directory, that the test may stop and start again (the shared servers of scripts/test-servers.sh are never
/// stopped). Data survives a stop: Redis writes an append-only file synced on every write, PostgreSQL its own.</summary>
public abstract class PrivateServer : IAsyncDisposable
{
    protected PrivateServer(string directory, int port)
    {
        Directory = directory;
        Port = port;
    }

    /// <summary>The data directory (deleted on dispose).</summary>
    public string Directory { get; }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>The connection string the silo's settings take.</summary>
    public abstract string ConnectionString { get; }

    /// <summary>Starts it (again) and waits until it accepts connections.</summary>
    public abstract Task StartAsync();

    /// <summary>Stops it; connections are refused until <see cref="StartAsync"/>.</summary>
    public abstract Task StopAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A server still closing a file: the temporary directory stays.
        }

        GC.SuppressFinalize(this);
    }

    protected static async Task<(int Code, string Output)> RunAsync(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    protected async Task WaitListeningAsync(bool listening)
    {
        for (var i = 0; i < 200; i++)
        {
            using var socket = new TcpClient();
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, Port);
                if (listening)
                {
                    return;
                }
            }
            catch (SocketException)
            {
                if (!listening)
                {
                    return;
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"port {Port} still {(listening ? "closed" : "open")} after 10 s");
    }
}

/// <summary>A private redis-server (null from <see cref="TryCreateAsync"/> where it is not installed).</summary>
public sealed class PrivateRedis : PrivateServer
{
    private Process? _process;

    private PrivateRedis(string directory, int port) : base(directory, port)
    {
    }

    /// <inheritdoc />
    public override string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>A started private redis-server, or null without <c>redis-server</c> on the PATH.</summary>
    public static async Task<PrivateRedis?> TryCreateAsync()
    {
        if (!File.Exists("/usr/bin/redis-server") && !File.Exists("/usr/local/bin/redis-server"))
        {
            return null;
        }

        var redis = new PrivateRedis(System.IO.Directory.CreateTempSubdirectory("omem-private-redis-").FullName, LoopbackPorts.Free());
        await redis.StartAsync();
        return redis;
    }

    /// <inheritdoc />
    public override async Task StartAsync()
    {
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--dir", Directory, "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--daemonize", "no",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitListeningAsync(listening: true);
    }

    /// <inheritdoc />
    public override async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            // SIGTERM: redis-server finishes its append-only file and exits, as a service manager stops it.
            await RunAsync("kill", "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }

        _process?.Dispose();
        _process = null;
        await WaitListeningAsync(listening: false);
    }
}

/// <summary>A private PostgreSQL cluster (initdb, pg_ctl from /usr/lib/postgresql/*/bin, run as the postgres user when
/// the test runs as root); null from <see cref="TryCreateAsync"/> where PostgreSQL is not installed.</summary>
public sealed class PrivatePostgreSql : PrivateServer
{
    private readonly string _bin;
    private bool _running;

    private PrivatePostgreSql(string directory, int port, string bin) : base(directory, port) => _bin = bin;

    /// <inheritdoc />
    public override string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=3;Command Timeout=10";

    /// <summary>A started private PostgreSQL, or null when none is installed or initdb fails.</summary>
    public static async Task<PrivatePostgreSql?> TryCreateAsync()
    {
        var bin = System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => d, StringComparer.Ordinal).LastOrDefault()
            : null;
        if (bin is null)
        {
            return null;
        }

        var directory = System.IO.Directory.CreateTempSubdirectory("omem-private-pg-").FullName;
        var server = new PrivatePostgreSql(directory, LoopbackPorts.Free(), bin);
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "postgres:postgres", directory);
        }

        var (code, output) = await server.AsPostgres("initdb", "-D", Path.Combine(directory, "data"), "-U", "postgres", "--auth=trust", "--no-sync");
        if (code != 0)
        {
            throw new InvalidOperationException("initdb failed: " + output);
        }

        await server.StartAsync();
        return server;
    }

    /// <inheritdoc />
    public override async Task StartAsync()
    {
        var (code, output) = await AsPostgres("pg_ctl", "-D", Path.Combine(Directory, "data"), "-w", "-l", Path.Combine(Directory, "log"),
            "-o", $"-p {Port} -k {Directory} -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        if (code != 0)
        {
            throw new InvalidOperationException("pg_ctl start failed: " + output);
        }

        _running = true;
        await WaitListeningAsync(listening: true);
    }

    /// <inheritdoc />
    public override async Task StopAsync()
    {
        if (_running)
        {
            // Fast shutdown: open connections are cut, as when an operator or a failover stops the database.
            await AsPostgres("pg_ctl", "-D", Path.Combine(Directory, "data"), "-m", "fast", "-w", "stop");
            _running = false;
        }

        await WaitListeningAsync(listening: false);
    }

    private Task<(int Code, string Output)> AsPostgres(string tool, params string[] args) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args])
            : RunAsync(Path.Combine(_bin, tool), args);
}
