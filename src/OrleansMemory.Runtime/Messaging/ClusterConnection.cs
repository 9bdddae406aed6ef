using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using OrleansMemory.Membership;

namespace OrleansMemory.Runtime;

/// <summary>One multiplexed connection between two processes of the cluster (silo-silo or client-silo). Either side
/// may send requests; responses are correlated by id. Outgoing frames go through a bounded queue drained by one writer
/// loop (which also batches flushes); incoming requests are limited per connection, beyond which reading pauses.</summary>
internal sealed partial class ClusterConnection
{
    private readonly ClusterTransport _transport;
    private readonly ConnectionContext _context;
    private readonly Channel<Outgoing> _outgoing;
    private readonly ConcurrentDictionary<long, PendingCall> _pending = new();
    private readonly ConcurrentDictionary<long, CancellationTokenSource> _incomingCancellation = new();
    private readonly SemaphoreSlim _incomingLimit;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _closed = new();
    private readonly ConnectionHandshake _handshake;
    private long _nextId;
    private volatile string? _closeReason;

    public ClusterConnection(ClusterTransport transport, ConnectionContext context, bool outbound, SiloAddress? expectedRemote)
    {
        _transport = transport;
        _context = context;
        IsOutbound = outbound;
        RemoteSilo = expectedRemote;
        _outgoing = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(transport.Options.MaxQueuedMessagesPerConnection)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _incomingLimit = new SemaphoreSlim(transport.Options.MaxConcurrentRequestsPerConnection);
        _handshake = new ConnectionHandshake(transport, outbound);
    }

    public bool IsOutbound { get; }

    /// <summary>The silo on the other side; null for a client.</summary>
    public SiloAddress? RemoteSilo { get; private set; }

    public bool IsClosed => _closeReason is not null;

    /// <summary>Completes when the handshake succeeded; fails when it did not.</summary>
    public Task Ready => _ready.Task;

    public string Describe() => RemoteSilo?.ToString() ?? _context.RemoteEndPoint?.ToString() ?? _context.ConnectionId;

    /// <summary>Runs the connection until either side closes it.</summary>
    public async Task RunAsync()
    {
        var writing = WriteLoopAsync();
        try
        {
            if (IsOutbound)
            {
                Enqueue(_handshake.CreateHello());
            }

            await ReadLoopAsync().ConfigureAwait(false);
            Close("the remote side closed the connection");
        }
        catch (Exception ex)
        {
            Close(ex is ConnectionResetException or IOException or OperationCanceledException ? "the connection was lost" : ex.Message);
            if (ex is not (ConnectionResetException or IOException or OperationCanceledException))
            {
                LogConnectionFailed(_transport.Logger, ex, Describe());
            }
        }

        await writing.ConfigureAwait(false);
        _context.Abort();
        await _context.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Sends a request and completes with its response.</summary>
    public Task<TResult> CallAsync<TResult>(GrainMethod<TResult> method, WireHeader header, object?[] arguments, long deadline, string description)
    {
        if (_closeReason is { } reason)
        {
            return Task.FromException<TResult>(new CallNotSentException($"Call {description} was not sent to silo {Describe()}: {reason}."));
        }

        var call = new PendingCall<TResult>(deadline, description);
        var id = Interlocked.Increment(ref _nextId);
        header.Id = id;
        var buffer = _transport.Codec.EncodeRequest(header, method, arguments);
        _pending[id] = call;
        foreach (var argument in arguments)
        {
            if (argument is CancellationToken { CanBeCanceled: true } token)
            {
                call.Registration = token.Register(static state =>
                {
                    var (connection, id, token) = ((ClusterConnection, long, CancellationToken))state!;
                    connection.CancelCall(id, token);
                }, (this, id, token));
                break;
            }
        }

        if (!_outgoing.Writer.TryWrite(new Outgoing(buffer, call)))
        {
            _ = EnqueueSlowAsync(new Outgoing(buffer, call), id);
        }

        return call.Task;
    }

    /// <summary>Sends a failure-detector probe; completes when answered.</summary>
    public Task PingAsync(long deadline)
    {
        var call = new PendingCall<bool>(deadline, $"probe of {Describe()}");
        var id = Interlocked.Increment(ref _nextId);
        _pending[id] = call;
        Enqueue(WireCodec.Encode(new WireHeader { Kind = MessageKind.Ping, Id = id }), call);
        return call.Task;
    }

    /// <summary>Asks the remote silo for its view of the active silos.</summary>
    public Task<ViewReply> RequestViewAsync(long deadline)
    {
        var call = new PendingCall<ViewReply>(deadline, $"view request to {Describe()}");
        var id = Interlocked.Increment(ref _nextId);
        _pending[id] = call;
        Enqueue(WireCodec.Encode(new WireHeader { Kind = MessageKind.ViewRequest, Id = id }), call);
        return call.Task;
    }

    /// <summary>Fails calls past their deadline with a <see cref="TimeoutException"/> and tells the other side.</summary>
    public void ExpireCalls(long now)
    {
        foreach (var (id, call) in _pending)
        {
            if (now > call.Deadline && _pending.TryRemove(id, out _))
            {
                call.Fail(new TimeoutException($"Response did not arrive on time for {call.Description} (silo {Describe()})."));
                Enqueue(WireCodec.Encode(new WireHeader { Kind = MessageKind.Cancel, Id = id }));
            }
        }
    }

    /// <summary>Closes the connection: queued frames are dropped, waiting calls fail (retriable if never sent).</summary>
    public void Close(string reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is not null)
        {
            return;
        }

        _outgoing.Writer.TryComplete();
        _closed.Cancel();
        _ready.TrySetException(new CallNotSentException($"Connection to {Describe()} failed: {reason}."));
        while (_outgoing.Reader.TryRead(out var item))
        {
            item.Buffer.Dispose();
        }

        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var call))
            {
                call.Fail(call.Sent
                    ? new CallOutcomeUnknownException($"The connection to silo {Describe()} was lost after {call.Description} was sent ({reason}); it may or may not have run.")
                    : new CallNotSentException($"{call.Description} was not sent to silo {Describe()}: {reason}."));
            }
        }

        foreach (var cancellation in _incomingCancellation.Values)
        {
            cancellation.Cancel();
        }

        _context.Abort();
        _transport.OnConnectionClosed(this);
    }

    private void CancelCall(long id, CancellationToken token)
    {
        if (_pending.TryRemove(id, out var call))
        {
            call.Cancel(token);
            Enqueue(WireCodec.Encode(new WireHeader { Kind = MessageKind.Cancel, Id = id }));
        }
    }

    private void Enqueue(PooledBuffer buffer, PendingCall? call = null)
    {
        if (!_outgoing.Writer.TryWrite(new Outgoing(buffer, call)))
        {
            _ = EnqueueSlowAsync(new Outgoing(buffer, call), 0);
        }
    }

    private async Task EnqueueSlowAsync(Outgoing item, long id)
    {
        try
        {
            await _outgoing.Writer.WriteAsync(item, _closed.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ChannelClosedException or OperationCanceledException)
        {
            item.Buffer.Dispose();
            if (id != 0 && _pending.TryRemove(id, out var call))
            {
                call.Fail(new CallNotSentException($"{call.Description} was not sent to silo {Describe()}: {_closeReason}."));
            }
        }
    }

    private async Task WriteLoopAsync()
    {
        var output = _context.Transport.Output;
        var reader = _outgoing.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_closed.Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var item))
                {
                    output.Write(item.Buffer.Frame);
                    item.Buffer.Dispose();
                    item.Call?.MarkSent();
                    if (output.UnflushedBytes > 256 * 1024)
                    {
                        await output.FlushAsync(_closed.Token).ConfigureAwait(false);
                    }
                }

                var flushed = await output.FlushAsync(_closed.Token).ConfigureAwait(false);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException or InvalidOperationException)
        {
            // The connection is closing.
        }

        Close("the connection was closed");
    }

    private async Task ReadLoopAsync()
    {
        var input = _context.Transport.Input;
        while (true)
        {
            var result = await input.ReadAsync(_closed.Token).ConfigureAwait(false);
            var buffer = result.Buffer;
            try
            {
                while (_transport.Codec.TryReadFrame(ref buffer, out var header, out var body))
                {
                    var handled = HandleFrame(header, body);
                    if (!handled.IsCompletedSuccessfully)
                    {
                        await handled.ConfigureAwait(false);
                    }
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }

    private ValueTask HandleFrame(WireHeader header, ReadOnlySequence<byte> body)
    {
        if (!_handshake.IsComplete)
        {
            var outcome = _handshake.Handle(header, _transport);
            if (outcome.Reply is { } reply)
            {
                Enqueue(reply);
            }

            if (outcome.Failure is { } failure)
            {
                LogHandshakeFailed(_transport.Logger, Describe(), failure);
                _ready.TrySetException(new CallNotSentException($"Connection to {Describe()} failed: the handshake failed: {failure}."));
                Enqueue(WireCodec.Encode(new WireHeader { Kind = MessageKind.Error, ErrorType = typeof(UnauthorizedAccessException).FullName, ErrorMessage = failure }));
                _ = CloseSoonAsync($"the handshake failed: {failure}");
            }
            else if (_handshake.IsComplete)
            {
                RemoteSilo ??= _handshake.RemoteSilo;
                _ready.TrySetResult();
                _transport.OnConnectionReady(this);
            }

            return ValueTask.CompletedTask;
        }

        switch (header.Kind)
        {
            case MessageKind.Request:
                return ReceiveRequest(header, body);
            case MessageKind.Response:
                if (_pending.TryRemove(header.Id, out var call))
                {
                    call.Complete(_transport.Codec, body);
                }

                break;
            case MessageKind.Error:
                if (_pending.TryRemove(header.Id, out var failed))
                {
                    failed.Fail(header.Refused
                        ? new CallNotSentException($"{failed.Description} was refused by silo {Describe()}: {header.ErrorMessage}", RemoteExceptions.Create(header.ErrorType, header.ErrorMessage, header.Chain))
                        : RemoteExceptions.Create(header.ErrorType, header.ErrorMessage, header.Chain));
                }

                break;
            case MessageKind.Cancel:
                if (_incomingCancellation.TryRemove(header.Id, out var cancellation))
                {
                    cancellation.Cancel();
                }

                break;
            case MessageKind.Ping:
                Enqueue(WireCodec.Encode(new WireHeader { Kind = MessageKind.Pong, Id = header.Id }));
                break;
            case MessageKind.Pong:
                if (_pending.TryRemove(header.Id, out var probe))
                {
                    ((PendingCall<bool>)probe).SetResult(true);
                }

                break;
            case MessageKind.ViewRequest:
                var reply = _transport.DescribeView();
                Enqueue(WireCodec.Encode(new WireHeader { Kind = MessageKind.View, Id = header.Id, Silos = reply.Silos, ViewVersion = reply.Version }));
                break;
            case MessageKind.View:
                if (_pending.TryRemove(header.Id, out var view))
                {
                    ((PendingCall<ViewReply>)view).SetResult(new ViewReply(header.Silos ?? [], header.ViewVersion));
                }

                break;
        }

        return ValueTask.CompletedTask;
    }

    private async Task CloseSoonAsync(string reason)
    {
        await Task.Delay(100).ConfigureAwait(false);
        Close(reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster connection {Remote} failed")]
    private static partial void LogConnectionFailed(ILogger logger, Exception exception, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster connection {Remote} refused: {Reason}")]
    private static partial void LogHandshakeFailed(ILogger logger, string remote, string reason);

    private readonly record struct Outgoing(PooledBuffer Buffer, PendingCall? Call);
}
