namespace OrleansMemory.Silo.Configuration;

/// <summary>The silo's settings: configuration section <c>OrleansMemory</c> (environment variables
/// <c>OrleansMemory__Key__SubKey</c>, command line <c>--OrleansMemory:Key:SubKey=value</c>).</summary>
public sealed class SiloOptions
{
    /// <summary>The configuration section bound to these options.</summary>
    public const string SectionName = "OrleansMemory";

    /// <summary>Silos with the same cluster id form one cluster.</summary>
    public string ClusterId { get; set; } = "dev";

    /// <summary>Stable across deployments; part of storage keys where providers share a database.</summary>
    public string ServiceId { get; set; } = OrleansMemory.Storage.GrainStorageDefaults.ServiceId;

    /// <summary>This silo's name in logs, the dashboard and the membership table; default: machine name and HTTP port.</summary>
    public string? SiloName { get; set; }

    /// <summary>How silos find each other.</summary>
    public ClusteringSettings Clustering { get; set; } = new();

    /// <summary>Where the HTTP API, health, metrics and dashboard listen.</summary>
    public HttpSettings Http { get; set; } = new();

    /// <summary>The silo-to-silo port of Orleans; 0 picks a free port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The gateway port: .NET clients (<c>UseOrleansClient</c>) connect here; 0 picks a free port.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The IP address the cluster port listens on and that other silos and clients use to reach it, for example
    /// the pod IP; default: <see cref="HttpSettings.ListenAddress"/> when that is a specific address.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>No longer supported (Orleans has no shared-secret handshake); a configuration that sets it is refused
    /// with a message that says what to do instead.</summary>
    public string? SharedSecret { get; set; }

    /// <summary>Failure detection and membership (Orleans' <see cref="Orleans.Configuration.ClusterMembershipOptions"/>),
    /// with defaults tuned for a memory service (<see cref="Hosting.MembershipDefaults"/>); any property can be set here.</summary>
    public Dictionary<string, string> Membership { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long a graceful shutdown (SIGTERM: deactivate grains, flush state, leave the membership table) may take.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Grain storage: the default provider and per-grain-type overrides.</summary>
    public StorageSettings Storage { get; set; } = new();

    /// <summary>API keys and whether they are required.</summary>
    public AuthSettings Auth { get; set; } = new();

    /// <summary>Limits on what callers may send.</summary>
    public LimitSettings Limits { get; set; } = new();

    /// <summary>The Model Context Protocol server at <c>/mcp</c>.</summary>
    public McpSettings Mcp { get; set; } = new();

    /// <summary>Run under Orleans' Kubernetes hosting (Microsoft.Orleans.Hosting.Kubernetes): silo name from the pod
    /// (<c>POD_NAME</c>), cluster and service ids from <c>ORLEANS_CLUSTER_ID</c>/<c>ORLEANS_SERVICE_ID</c> when set, and
    /// silos whose pods are gone declared dead in the membership (the pod's service account may list, watch and delete pods).</summary>
    public bool KubernetesHosting { get; set; }

    /// <summary>Traces, metrics and logs export (OpenTelemetry).</summary>
    public TelemetrySettings Telemetry { get; set; } = new();

    /// <summary>Where ASP.NET Core data-protection keys are kept; default <c>{Storage:BaseDirectory}/.data-protection-keys</c>
    /// (the silo's data folder, never the user's home). Silos behind one load balancer should share it.</summary>
    public string? DataProtectionKeysDirectory { get; set; }

    /// <summary>The data-protection key directory in effect.</summary>
    public string EffectiveDataProtectionKeysDirectory =>
        Path.GetFullPath(DataProtectionKeysDirectory ?? Path.Combine(Storage.BaseDirectory, ".data-protection-keys"));

    /// <summary>The embedding generator that turns text into vectors (text-only memories and text search): the local
    /// all-MiniLM-L6-v2 model by default, an OpenAI-compatible endpoint, or none.</summary>
    public OrleansMemory.Embeddings.EmbeddingOptions Embeddings { get; set; } = new();

    /// <summary>An LLM that classifies memory conflicts; off by default (the rule-based classifier decides).</summary>
    public OrleansMemory.Embeddings.ConflictClassifierOptions ConflictClassifier { get; set; } = new();

    /// <summary>The name shown for this silo.</summary>
    public string EffectiveSiloName => string.IsNullOrWhiteSpace(SiloName) ? $"{Environment.MachineName}:{Http.Port}" : SiloName;
}

/// <summary>Cluster membership settings.</summary>
public sealed class ClusteringSettings
{
    /// <summary><c>localhost</c> (development: silos on this machine, the first one keeps the membership),
    /// <c>postgres</c> (Orleans ADO.NET clustering) or <c>redis</c> (Orleans Redis clustering).</summary>
    public string Kind { get; set; } = "localhost";

    /// <summary>The membership table's connection string (postgres: an Npgsql connection string; redis: a
    /// StackExchange.Redis configuration string such as <c>127.0.0.1:6379</c>).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Localhost clustering: the silo port of the primary silo that the others join; default: this silo's own
    /// port (it is the primary).</summary>
    public int? PrimarySiloPort { get; set; }

    /// <summary>PostgreSQL clustering: create the Orleans tables (deploy/sql) at startup when missing.</summary>
    public bool CreateSchema { get; set; }
}

/// <summary>HTTP listener settings.</summary>
public sealed class HttpSettings
{
    /// <summary>The address to bind; <c>127.0.0.1</c> keeps the silo private to this machine, <c>0.0.0.0</c> opens it.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The port; 0 picks a free one.</summary>
    public int Port { get; set; } = 5080;
}

/// <summary>Limits on requests.</summary>
public sealed class LimitSettings
{
    /// <summary>Largest request body accepted; larger ones get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest embedding dimension accepted.</summary>
    public int MaxEmbeddingDimension { get; set; } = 4096;

    /// <summary>Most items (messages, memories, chunks) in one request.</summary>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>Largest page a read may ask for.</summary>
    public int MaxPageSize { get; set; } = 1000;

    /// <summary>Longest request target (path and query) answered by the API; longer ones get 414. The HTTP server itself
    /// reads request lines up to 8 times this (at least 64 KiB) and closes the connection beyond that.</summary>
    public int MaxUrlLength { get; set; } = 8192;
}
