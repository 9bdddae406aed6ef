using System.Text.Json.Serialization;

namespace OrleansMemory.Runtime;

/// <summary>What a frame on a cluster connection carries.</summary>
internal enum MessageKind
{
    /// <summary>First frame of a connection: who connects, to which cluster, with a nonce.</summary>
    Hello = 1,
    /// <summary>The listener's answer: its nonce and its proof of the shared secret.</summary>
    HelloAck = 2,
    /// <summary>The connector's proof of the shared secret.</summary>
    Proof = 3,
    /// <summary>A grain call; the body is the JSON array of arguments.</summary>
    Request = 4,
    /// <summary>A successful result; the body is the JSON result.</summary>
    Response = 5,
    /// <summary>A failed call: exception type and message in the header.</summary>
    Error = 6,
    /// <summary>Cancels the request with the same id.</summary>
    Cancel = 7,
    /// <summary>A failure-detector probe.</summary>
    Ping = 8,
    /// <summary>The answer to a probe.</summary>
    Pong = 9,
    /// <summary>Asks for the silo's view of the active silos (clients with static gateways).</summary>
    ViewRequest = 10,
    /// <summary>The active silos, in <see cref="WireHeader.Silos"/>.</summary>
    View = 11,
}

/// <summary>The header of every frame, serialized with the source-generated <see cref="WireJsonContext"/>.</summary>
internal sealed class WireHeader
{
    [JsonPropertyName("k")]
    public MessageKind Kind { get; set; }

    [JsonPropertyName("i")]
    public long Id { get; set; }

    /// <summary>Request: the grain id as <c>type/key</c>.</summary>
    [JsonPropertyName("g")]
    public string? Target { get; set; }

    /// <summary>Request: the method as <c>Namespace.IInterface.Method(ParamType,...)</c>.</summary>
    [JsonPropertyName("m")]
    public string? Method { get; set; }

    /// <summary>Request: milliseconds left until the caller's deadline.</summary>
    [JsonPropertyName("t")]
    public long TimeoutMs { get; set; }

    /// <summary>Request: how many times the call was forwarded already.</summary>
    [JsonPropertyName("h")]
    public int Hops { get; set; }

    /// <summary>Request: the sender placed the call here on purpose (it is leaving); run it here.</summary>
    [JsonPropertyName("f")]
    public bool Force { get; set; }

    /// <summary>Request: the call chain that led to this call; Error: the deadlock chain.</summary>
    [JsonPropertyName("c")]
    public string[]? Chain { get; set; }

    /// <summary>Error: the exception's full type name.</summary>
    [JsonPropertyName("et")]
    public string? ErrorType { get; set; }

    /// <summary>Error: the exception's message.</summary>
    [JsonPropertyName("em")]
    public string? ErrorMessage { get; set; }

    /// <summary>Error: the silo refused the call without running it (safe to send again).</summary>
    [JsonPropertyName("r")]
    public bool Refused { get; set; }

    /// <summary>Hello: the cluster as <c>serviceId/clusterId</c>.</summary>
    [JsonPropertyName("cl")]
    public string? Cluster { get; set; }

    /// <summary>Hello: the connecting silo's address, or null for a client.</summary>
    [JsonPropertyName("s")]
    public string? Silo { get; set; }

    /// <summary>Hello/HelloAck: a random nonce (base64).</summary>
    [JsonPropertyName("n")]
    public string? Nonce { get; set; }

    /// <summary>HelloAck/Proof: the HMAC proof (base64).</summary>
    [JsonPropertyName("p")]
    public string? ProofMac { get; set; }

    /// <summary>Request: the membership table version of the sender's view; View: of the answering silo's view. A silo
    /// that receives a request from a sender with a newer view reads the table before placing the call.</summary>
    [JsonPropertyName("vv")]
    public long ViewVersion { get; set; }

    /// <summary>View: the active silos' addresses.</summary>
    [JsonPropertyName("v")]
    public string[]? Silos { get; set; }
}

/// <summary>The source-generated serializer of <see cref="WireHeader"/>.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(WireHeader))]
internal sealed partial class WireJsonContext : JsonSerializerContext;
