using System.Net;
using System.Net.Sockets;

namespace OrleansMemory.Cluster.Benchmarks;

/// <summary>The remote-call baseline: an 8-byte request and its 8-byte answer over loopback TCP (Nagle off), one
/// connection per caller, with no framing, serialization or dispatch. Served from the silo process.</summary>
internal sealed class TcpEchoServer : IAsyncDisposable
{
    private const int FrameBytes = 8;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    /// <summary>Starts listening on a free loopback port.</summary>
    public TcpEchoServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The port it listens on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                socket.NoDelay = true;
                _ = Task.Run(() => EchoAsync(socket));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task EchoAsync(Socket socket)
    {
        using (socket)
        {
            var buffer = new byte[FrameBytes];
            try
            {
                while (await TcpEcho.ReceiveExactlyAsync(socket, buffer, _stop.Token))
                {
                    await socket.SendAsync(buffer, SocketFlags.None, _stop.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}

/// <summary>One caller's connection to <see cref="TcpEchoServer"/>.</summary>
internal sealed class TcpEcho : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly byte[] _buffer = new byte[8];

    /// <summary>Connects to the echo server on <paramref name="port"/>.</summary>
    public static async Task<TcpEcho> ConnectAsync(int port)
    {
        var echo = new TcpEcho();
        await echo._socket.ConnectAsync(IPAddress.Loopback, port);
        return echo;
    }

    /// <summary>Sends <paramref name="value"/> and waits for it to come back.</summary>
    public async ValueTask RoundTripAsync(long value)
    {
        BitConverter.TryWriteBytes(_buffer, value);
        await _socket.SendAsync(_buffer, SocketFlags.None);
        if (!await ReceiveExactlyAsync(_socket, _buffer, CancellationToken.None))
        {
            throw new InvalidOperationException("The echo server closed the connection.");
        }
    }

    /// <summary>Reads exactly <paramref name="buffer"/>'s length; false when the peer closed first.</summary>
    public static async ValueTask<bool> ReceiveExactlyAsync(Socket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();
}
