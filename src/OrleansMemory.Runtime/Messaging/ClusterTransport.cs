using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using OrleansMemory.Configuration;
using OrleansMemory.Membership;

namespace OrleansMemory.Runtime;

/// <summary>The cluster connections of one process (silo or client): connecting (one multiplexed connection per
/// remote silo, reused), the listener (silos), method resolution for incoming calls, and call timeouts.</summary>
internal sealed partial class ClusterTransport : IAsyncDisposable
{
    private readonly ConcurrentDictionary<SiloAddress, Task<ClusterConnection>> _connections = new();
    private readonly ConcurrentDictionary<ClusterConnection, byte> _all = new();
    private readonly ConcurrentDictionary<string, GrainMethod> _methods = new(StringComparer.Ordinal);
    private readonly SocketConnectionContextFactory _socketFactory;
    private readonly Timer _expiryTimer;
    private ClusterListener? _listener;
    private volatile bool _disposed;

    public ClusterTransport(ClusterTransportOptions options, ClusterOptions cluster, ILoggerFactory loggerFactory, GrainRuntime? runtime, Func<Type, GrainId, object> createReference)
    {
        Options = options;
        Runtime = runtime;
        ClusterName = $"{cluster.ServiceId}/{cluster.ClusterId}";
        SecretKey = Encoding.UTF8.GetBytes("orleansmemory|" + (options.SharedSecret ?? ""));
        Logger = loggerFactory.CreateLogger<ClusterTransport>();
        LoggerFactory = loggerFactory;
        Codec = new WireCodec(createReference, options.MaxMessageSize);
        _socketFactory = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(), loggerFactory.CreateLogger<SocketConnectionContextFactory>());
        _expiryTimer = new Timer(static s => ((ClusterTransport)s!).ExpireCalls(), this, 50, 50);
    }

    public ClusterTransportOptions Options { get; }

    public GrainRuntime? Runtime { get; }

    public string ClusterName { get; }

    public byte[] SecretKey { get; }

    public ILogger Logger { get; }

    public ILoggerFactory LoggerFactory { get; }

    public WireCodec Codec { get; }

    /// <summary>This silo's address; null in a client.</summary>
    public SiloAddress? Self { get; set; }

    /// <summary>What this process answers to a view request: the active silos' addresses.</summary>
    public Func<ViewReply> ViewProvider { get; set; } = static () => new ViewReply([], 0);

    /// <summary>The router of this process (set by the router).</summary>
    public ClusterRouter? Router { get; set; }

    public ViewReply DescribeView() => ViewProvider();

    /// <summary>Starts listening; returns the bound port.</summary>
    public async Task<int> ListenAsync(EndpointOptions endpoint, IServiceProvider services, CancellationToken cancellationToken)
    {
        _listener = new ClusterListener(this, services);
        return await _listener.StartAsync(endpoint, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops accepting connections and closes every connection.</summary>
    public async Task StopListeningAsync(CancellationToken cancellationToken)
    {
        if (_listener is { } listener)
        {
            _listener = null;
            await listener.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The connection to a silo, connecting (and authenticating) if there is none.</summary>
    /// <exception cref="CallNotSentException">The silo cannot be reached.</exception>
    public ValueTask<ClusterConnection> GetConnectionAsync(SiloAddress silo)
    {
        if (_connections.TryGetValue(silo, out var existing) && existing.IsCompletedSuccessfully && !existing.Result.IsClosed)
        {
            return new ValueTask<ClusterConnection>(existing.Result);
        }

        return new ValueTask<ClusterConnection>(GetConnectionSlowAsync(silo));
    }

    /// <summary>Opens a connection to an endpoint (a gateway), not registered for reuse.</summary>
    public Task<ClusterConnection> ConnectAsync(string host, int port, SiloAddress? expected) => ConnectCoreAsync(host, port, expected);

    /// <summary>Closes the connections to a silo (it was declared dead).</summary>
    public void Disconnect(SiloAddress silo)
    {
        foreach (var connection in _all.Keys.Where(c => c.RemoteSilo == silo))
        {
            connection.Close($"silo {silo} was declared dead");
        }
    }

    /// <summary>Resolves a method by its wire name (see <see cref="GrainMethod.WireName"/>).</summary>
    /// <exception cref="MissingMethodException">No loaded grain interface has the method.</exception>
    public GrainMethod ResolveMethod(string? wireName)
    {
        ArgumentNullException.ThrowIfNull(wireName);
        return _methods.TryGetValue(wireName, out var method) ? method : _methods.GetOrAdd(wireName, MethodResolver.Resolve);
    }

    public void OnConnectionReady(ClusterConnection connection)
    {
        if (!connection.IsOutbound && connection.RemoteSilo is { } remote)
        {
            // A silo that connected to us: reuse its connection for our calls to it (one connection per pair).
            _connections.TryAdd(remote, Task.FromResult(connection));
        }
    }

    public void OnConnectionClosed(ClusterConnection connection)
    {
        _all.TryRemove(connection, out _);
        if (connection.RemoteSilo is { } remote && _connections.TryGetValue(remote, out var task)
            && task.IsCompletedSuccessfully && task.Result == connection)
        {
            _connections.TryRemove(new KeyValuePair<SiloAddress, Task<ClusterConnection>>(remote, task));
        }
    }

    /// <summary>Takes an accepted connection (from the listener) and runs it until it closes.</summary>
    public Task RunInboundAsync(Microsoft.AspNetCore.Connections.ConnectionContext context)
    {
        var connection = new ClusterConnection(this, context, outbound: false, expectedRemote: null);
        _all[connection] = 0;
        return connection.RunAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _expiryTimer.DisposeAsync().ConfigureAwait(false);
        await StopListeningAsync(CancellationToken.None).ConfigureAwait(false);
        foreach (var connection in _all.Keys)
        {
            connection.Close("the process is shutting down");
        }

        _socketFactory.Dispose();
    }

    private async Task<ClusterConnection> GetConnectionSlowAsync(SiloAddress silo)
    {
        while (true)
        {
            var task = _connections.GetOrAdd(silo, s => ConnectCoreAsync(s.Host, s.Port, s));
            try
            {
                var connection = await task.ConfigureAwait(false);
                if (!connection.IsClosed)
                {
                    return connection;
                }
            }
            catch
            {
                _connections.TryRemove(new KeyValuePair<SiloAddress, Task<ClusterConnection>>(silo, task));
                throw;
            }

            _connections.TryRemove(new KeyValuePair<SiloAddress, Task<ClusterConnection>>(silo, task));
        }
    }

    private async Task<ClusterConnection> ConnectCoreAsync(string host, int port, SiloAddress? expected)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var timeout = new CancellationTokenSource(Options.ConnectTimeout);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            throw new CallNotSentException($"Could not connect to silo {expected?.ToString() ?? $"{host}:{port}"}: {(ex is OperationCanceledException ? $"no answer within {Options.ConnectTimeout}" : ex.Message)}.", ex);
        }

        var connection = new ClusterConnection(this, _socketFactory.Create(socket), outbound: true, expected);
        _all[connection] = 0;
        _ = connection.RunAsync();
        try
        {
            await connection.Ready.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            connection.Close("the handshake timed out");
            throw new CallNotSentException($"Could not connect to silo {connection.Describe()}: the handshake did not complete within {Options.ConnectTimeout}.");
        }

        if (expected is not null && connection.RemoteSilo != expected)
        {
            connection.Close("a different silo answered");
            throw new CallNotSentException($"Could not connect to silo {expected}: {host}:{port} is now silo {connection.RemoteSilo?.ToString() ?? "(none)"} (the silo restarted).");
        }

        return connection;
    }

    private void ExpireCalls()
    {
        var now = Environment.TickCount64;
        foreach (var connection in _all.Keys)
        {
            connection.ExpireCalls(now);
        }
    }
}

/// <summary>A silo's answer to a view request: the active silos and the table version of that view.</summary>
internal sealed record ViewReply(string[] Silos, long Version);
