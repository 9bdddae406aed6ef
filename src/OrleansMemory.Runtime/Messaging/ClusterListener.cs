using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using System.Globalization;
using System.Net;
using OrleansMemory.Configuration;

namespace OrleansMemory.Runtime;

/// <summary>The silo's cluster port: a Kestrel server whose only endpoint runs <see cref="SiloConnectionHandler"/>
/// (no HTTP). Kestrel accepts, owns the sockets and their pipes; the handler runs the cluster protocol.</summary>
internal sealed class ClusterListener(ClusterTransport transport, IServiceProvider services)
{
    private KestrelServer? _server;

    public async Task<int> StartAsync(EndpointOptions endpoint, CancellationToken cancellationToken)
    {
        var options = new KestrelServerOptions { ApplicationServices = services, AddServerHeader = false };
        var address = endpoint.Host is "localhost" ? IPAddress.Loopback : IPAddress.Parse(endpoint.Host);
        var handler = new SiloConnectionHandler(transport);
        options.Listen(address, endpoint.Port, listen => listen.Run(handler.OnConnectedAsync));
        _server = new KestrelServer(
            Microsoft.Extensions.Options.Options.Create(options),
            new SocketTransportFactory(Microsoft.Extensions.Options.Options.Create(new SocketTransportOptions { NoDelay = true }), transport.LoggerFactory),
            transport.LoggerFactory);
        await _server.StartAsync(new NoHttpApplication(), cancellationToken).ConfigureAwait(false);
        var bound = _server.Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return int.Parse(bound[(bound.LastIndexOf(':') + 1)..].TrimEnd('/'), CultureInfo.InvariantCulture);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { } server)
        {
            _server = null;
            using var quick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            quick.CancelAfter(TimeSpan.FromSeconds(1));
            await server.StopAsync(quick.Token).ConfigureAwait(false);
            server.Dispose();
        }
    }

    /// <summary>Never called: the endpoint's connection middleware does not pass connections on to HTTP.</summary>
    private sealed class NoHttpApplication : IHttpApplication<object>
    {
        public object CreateContext(IFeatureCollection contextFeatures) => throw new NotSupportedException("The cluster port does not serve HTTP.");

        public Task ProcessRequestAsync(object context) => throw new NotSupportedException("The cluster port does not serve HTTP.");

        public void DisposeContext(object context, Exception? exception)
        {
        }
    }
}

/// <summary>Runs the cluster protocol on each connection Kestrel accepts.</summary>
internal sealed class SiloConnectionHandler(ClusterTransport transport) : ConnectionHandler
{
    public override Task OnConnectedAsync(ConnectionContext connection) => transport.RunInboundAsync(connection);
}
