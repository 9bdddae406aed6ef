using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace OrleansMemory.Silo.Api;

/// <summary>Gives the requests Kestrel refuses before the API sees them (a NUL in the path, a request line or headers
/// beyond the server's limits) the API's problem+json body instead of an empty one. Kestrel reports each refusal on
/// its diagnostic event <c>Microsoft.AspNetCore.Server.Kestrel.BadRequest</c> before writing the response; the
/// connection's output then writes the problem in place of Kestrel's empty response (the connection closes after it,
/// as Kestrel's would).</summary>
internal static class ServerRejections
{
    private const string EventName = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";
    private static readonly ConcurrentDictionary<string, RewritingWriter> Connections = new(StringComparer.Ordinal);

    /// <summary>The connection middleware: every connection's output can be told to answer a refusal.</summary>
    public static ConnectionDelegate Middleware(ConnectionDelegate next) => async connection =>
    {
        var transport = connection.Transport;
        var writer = new RewritingWriter(transport.Output, connection.ConnectionId);
        connection.Transport = new Duplex(transport.Input, writer);
        Connections[connection.ConnectionId] = writer;
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Connections.TryRemove(connection.ConnectionId, out _);
            connection.Transport = transport;
        }
    };

    /// <summary>Listens to Kestrel's refusals for the application's lifetime.</summary>
    public static IDisposable Subscribe(DiagnosticListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        return listener.Subscribe(new Observer(), name => name == EventName);
    }

    private static byte[] Response(int status, string connectionId)
    {
        var (reason, title, detail) = status switch
        {
            414 => ("URI Too Long", "URI too long", "The request line is longer than the server accepts."),
            431 => ("Request Header Fields Too Large", "Headers too large", "The request headers are larger than the server accepts."),
            413 => ("Payload Too Large", "Request body too large", "The request body is larger than the server accepts."),
            _ => ("Bad Request", "Invalid request", "The request is not valid HTTP for this server (for example a NUL character or a malformed escape in the path)."),
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["type"] = status == 400 ? "https://tools.ietf.org/html/rfc9110#section-15.5.1" : "https://tools.ietf.org/html/rfc9110",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            [ApiProblems.TraceIdMember] = connectionId,
        });
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: application/problem+json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        return [.. head, .. body];
    }

    private sealed class Observer : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == EventName && value.Value is IFeatureCollection features
                && features.Get<IHttpConnectionFeature>()?.ConnectionId is { } id && Connections.TryGetValue(id, out var writer))
            {
                var status = features.Get<IBadRequestExceptionFeature>()?.Error is BadHttpRequestException bad ? bad.StatusCode : 400;
                writer.Reject(status);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>Passes everything through until the connection's request is refused; then drops Kestrel's empty
    /// response and writes the problem instead.</summary>
    private sealed class RewritingWriter(PipeWriter inner, string connectionId) : PipeWriter
    {
        private volatile int _rejectedStatus;
        private bool _written;
        private byte[] _discard = [];

        public void Reject(int status) => _rejectedStatus = status;

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;

        public override void Advance(int bytes)
        {
            if (_rejectedStatus == 0)
            {
                inner.Advance(bytes);
            }
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => _rejectedStatus == 0 ? inner.GetMemory(sizeHint) : Discard(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => _rejectedStatus == 0 ? inner.GetSpan(sizeHint) : Discard(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null)
        {
            WriteProblem();
            inner.Complete(exception);
        }

        public override async ValueTask CompleteAsync(Exception? exception = null)
        {
            WriteProblem();
            await inner.CompleteAsync(exception).ConfigureAwait(false);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            WriteProblem();
            return inner.FlushAsync(cancellationToken);
        }

        private void WriteProblem()
        {
            if (_rejectedStatus != 0 && !_written)
            {
                _written = true;
                inner.Write<byte>(Response(_rejectedStatus, connectionId));
            }
        }

        private byte[] Discard(int sizeHint)
        {
            if (_discard.Length < Math.Max(sizeHint, 4096))
            {
                _discard = new byte[Math.Max(sizeHint, 4096)];
            }

            return _discard;
        }
    }
}
