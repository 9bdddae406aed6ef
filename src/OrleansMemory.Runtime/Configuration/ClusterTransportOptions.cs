namespace OrleansMemory.Configuration;

/// <summary>How silos and clients talk: authentication, limits and timeouts of cluster connections.</summary>
public sealed class ClusterTransportOptions
{
    /// <summary>The cluster's shared secret. Every connection starts with a mutual HMAC-SHA256 proof of it (and of the
    /// cluster id), so a process without it can neither call grains nor join. Required when a silo listens on a
    /// non-loopback address; without it only the cluster id is checked.</summary>
    public string? SharedSecret { get; set; }

    /// <summary>Require a <see cref="SharedSecret"/> even on loopback. Off by default; always on outside loopback.</summary>
    public bool RequireSharedSecret { get; set; }

    /// <summary>How long connecting (TCP connect plus handshake) to a silo may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Frames queued for sending on one connection before callers wait (back-pressure).</summary>
    public int MaxQueuedMessagesPerConnection { get; set; } = 8192;

    /// <summary>Requests one connection may have running on the receiving silo; beyond it requests are refused
    /// without running, and the sender retries them after <see cref="RetryDelay"/> until their timeout.</summary>
    public int MaxConcurrentRequestsPerConnection { get; set; } = 8192;

    /// <summary>The largest frame accepted, in bytes.</summary>
    public int MaxMessageSize { get; set; } = 64 * 1024 * 1024;

    /// <summary>How often a call whose silo cannot be reached (or that was refused, not run) is retried, with a fresh
    /// membership view, until its response timeout. Calls that reached a silo that then died are retried only
    /// when their method is <c>[ReadOnly]</c>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);
}
