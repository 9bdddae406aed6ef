using System.Security.Cryptography;
using System.Text;
using OrleansMemory.Membership;

namespace OrleansMemory.Runtime;

/// <summary>The first frames of a connection: both sides prove they know the cluster's shared secret (mutual
/// HMAC-SHA256 over both nonces and the cluster id) before any other frame is accepted.
/// Connector: Hello(nonce) -> Listener: HelloAck(nonce', proof) -> Connector: Proof(proof').</summary>
internal sealed class ConnectionHandshake(ClusterTransport transport, bool outbound)
{
    private readonly string _localNonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
    private string? _remoteNonce;
    private int _step;

    public bool IsComplete { get; private set; }

    public SiloAddress? RemoteSilo { get; private set; }

    public PooledBuffer CreateHello() => WireCodec.Encode(new WireHeader
    {
        Kind = MessageKind.Hello,
        Cluster = transport.ClusterName,
        Silo = transport.Self?.ToString(),
        Nonce = _localNonce,
    });

    public (PooledBuffer? Reply, string? Failure) Handle(WireHeader header, ClusterTransport _)
    {
        if (header.Kind == MessageKind.Error)
        {
            return (null, $"the silo refused the connection: {header.ErrorMessage}");
        }

        if (outbound && _step == 0 && header.Kind == MessageKind.HelloAck)
        {
            if (header.Nonce is null || header.ProofMac is null || !Verify(header.ProofMac, "S", _localNonce, header.Nonce))
            {
                return (null, "the silo could not prove it knows the cluster's shared secret (wrong secret or a different cluster)");
            }

            _remoteNonce = header.Nonce;
            RemoteSilo = header.Silo is null ? null : SiloAddress.Parse(header.Silo);
            _step = 1;
            IsComplete = true;
            return (WireCodec.Encode(new WireHeader { Kind = MessageKind.Proof, ProofMac = Mac("C", _remoteNonce, _localNonce) }), null);
        }

        if (!outbound && _step == 0 && header.Kind == MessageKind.Hello)
        {
            if (header.Cluster != transport.ClusterName)
            {
                return (null, $"the connecting process belongs to cluster '{header.Cluster}', not '{transport.ClusterName}'");
            }

            if (header.Nonce is null)
            {
                return (null, "the hello carried no nonce");
            }

            _remoteNonce = header.Nonce;
            RemoteSilo = header.Silo is null ? null : SiloAddress.Parse(header.Silo);
            _step = 1;
            return (WireCodec.Encode(new WireHeader
            {
                Kind = MessageKind.HelloAck,
                Silo = transport.Self?.ToString(),
                Nonce = _localNonce,
                ProofMac = Mac("S", _remoteNonce, _localNonce),
            }), null);
        }

        if (!outbound && _step == 1 && header.Kind == MessageKind.Proof)
        {
            if (header.ProofMac is null || !Verify(header.ProofMac, "C", _localNonce, _remoteNonce!))
            {
                return (null, "the connecting process could not prove it knows the cluster's shared secret");
            }

            IsComplete = true;
            return (null, null);
        }

        return (null, $"unexpected {header.Kind} frame before the handshake completed");
    }

    private string Mac(string role, string first, string second) =>
        Convert.ToBase64String(HMACSHA256.HashData(transport.SecretKey, Encoding.UTF8.GetBytes($"{role}|{first}|{second}|{transport.ClusterName}")));

    private bool Verify(string proof, string role, string first, string second)
    {
        try
        {
            return CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(proof), Convert.FromBase64String(Mac(role, first, second)));
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
