using System.Buffers;
using Microsoft.Extensions.Logging;

namespace OrleansMemory.Runtime;

internal sealed partial class ClusterConnection
{
    /// <summary>Decodes a request, hands it to the runtime and sends the response when it completes. When this
    /// connection already has the maximum number of requests running, the request is refused without running (the
    /// caller retries after its retry delay). Reading never pauses: responses on the same connection must keep
    /// flowing, or two silos calling each other could wait for each other forever.</summary>
    private ValueTask ReceiveRequest(WireHeader header, ReadOnlySequence<byte> body)
    {
        if (!_incomingLimit.Wait(0))
        {
            Enqueue(WireCodec.Encode(new WireHeader
            {
                Kind = MessageKind.Error,
                Id = header.Id,
                Refused = true,
                ErrorType = typeof(SiloUnavailableException).FullName,
                ErrorMessage = $"Silo {_transport.Self} is overloaded: {_transport.Options.MaxConcurrentRequestsPerConnection} requests of this connection are running.",
            }));
            return ValueTask.CompletedTask;
        }

        ReceiveRequestCore(header, body);
        return ValueTask.CompletedTask;
    }

    private void ReceiveRequestCore(WireHeader header, ReadOnlySequence<byte> body)
    {
        var id = header.Id;
        GrainMethod? method = null;
        Task task;
        try
        {
            if (_transport.Runtime is not { } runtime)
            {
                throw new InvalidOperationException("This process is a cluster client; it takes no grain calls.");
            }

            method = _transport.ResolveMethod(header.Method);
            var cancellation = CancellationToken.None;
            if (Array.IndexOf(method.ParameterTypes, typeof(CancellationToken)) >= 0)
            {
                var source = new CancellationTokenSource();
                _incomingCancellation[id] = source;
                cancellation = source.Token;
            }

            var arguments = _transport.Codec.DecodeArguments(method, body, cancellation);
            var deadline = header.TimeoutMs <= 0 ? long.MaxValue : Environment.TickCount64 + header.TimeoutMs;
            var parent = header.Chain is { Length: > 0 } chain ? new RemoteCallerRequest(chain, deadline) : null;
            var target = GrainId.Parse(header.Target!);

            // A sender with a newer membership view: read the table before placing the call, so that both agree on
            // the grain's home (otherwise this silo might activate a grain that now lives elsewhere).
            task = _transport.Router is { CatchUp: { } catchUp } router && header.ViewVersion > router.ViewVersion
                ? method.ReceiveAfterAsync(catchUp(header.ViewVersion), runtime, target, arguments, parent, deadline, header.Hops, header.Force)
                : method.ReceiveAsync(runtime, target, arguments, parent, deadline, header.Hops, header.Force);
        }
        catch (Exception ex)
        {
            task = Task.FromException(ex);
        }

        if (task.IsCompleted)
        {
            Respond(id, method, task);
        }
        else
        {
            task.ContinueWith(
                static (t, state) =>
                {
                    var (connection, id, method) = ((ClusterConnection, long, GrainMethod?))state!;
                    connection.Respond(id, method, t);
                },
                (this, id, method),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private void Respond(long id, GrainMethod? method, Task task)
    {
        _incomingLimit.Release();
        if (_incomingCancellation.TryRemove(id, out var cancellation))
        {
            cancellation.Dispose();
        }

        if (IsClosed)
        {
            return;
        }

        PooledBuffer frame;
        if (task.IsCompletedSuccessfully)
        {
            try
            {
                frame = _transport.Codec.EncodeResponse(new WireHeader { Kind = MessageKind.Response, Id = id }, method!.ResultType, method.GetResult(task));
            }
            catch (Exception ex)
            {
                frame = ErrorFrame(id, new InvalidOperationException($"The result of {method!.Name} could not be serialized: {ex.Message}", ex));
            }
        }
        else
        {
            var exception = task.Exception?.InnerException ?? new TaskCanceledException();
            frame = ErrorFrame(id, exception);
        }

        Enqueue(frame);
    }

    private PooledBuffer ErrorFrame(long id, Exception exception)
    {
        var refused = exception is SiloRefusedCallException;
        if (refused)
        {
            exception = exception.InnerException ?? exception;
        }
        else if (exception is not (TimeoutException or InconsistentStateException or OperationCanceledException))
        {
            LogCallFailed(_transport.Logger, exception.GetType().Name, exception.Message);
        }

        return WireCodec.Encode(new WireHeader
        {
            Kind = MessageKind.Error,
            Id = id,
            Refused = refused,
            ErrorType = exception.GetType().FullName,
            ErrorMessage = exception.Message,
            Chain = exception is DeadlockException deadlock ? [.. deadlock.CallChain] : null,
        });
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Remote grain call failed with {ExceptionType}: {Message}")]
    private static partial void LogCallFailed(ILogger logger, string exceptionType, string message);
}
