using System.Net;
using Orleans.Configuration;
using SiloOptions = OrleansMemory.Silo.Configuration.SiloOptions;
using OrleansMemory.Embeddings;
using OrleansMemory.Embeddings.Local;
using OrleansMemory.Grains;
using OrleansMemory.Hosting;
using OrleansMemory.Silo.Dashboard;
using OrleansMemory.Silo.Metrics;
using OrleansMemory.Storage;
using StackExchange.Redis;

namespace OrleansMemory.Silo.Hosting;

/// <summary>Turns <see cref="SiloOptions"/> into an Orleans silo: clustering, endpoints, failure detection, storage
/// providers, grains. The one seam where providers of other packages are wired in.</summary>
public static class SiloComposition
{
    /// <summary>The name the default provider is registered under (the memory grains use it).</summary>
    public const string DefaultProvider = Orleans.Providers.ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME;

    /// <summary>The storage types this silo can run, each with its own validation and registration.</summary>
    public static readonly IReadOnlyList<IGrainStorageBackend> StorageBackends =
        [.. BuiltInGrainStorageBackends.All, AdoNetGrainStorageBackends.Sqlite, AdoNetGrainStorageBackends.Postgres, RedisGrainStorageBackend.Redis];

    /// <summary>Sections under <c>OrleansMemory</c> bound to other options than <see cref="SiloOptions"/>'s own properties:
    /// <c>Grains</c> (the memory grains' <see cref="MemoryGrainOptions"/>) and <c>Membership</c> (Orleans'
    /// <see cref="ClusterMembershipOptions"/>, over the silo's defaults). The unknown-key check reads them from here too.</summary>
    public static readonly IReadOnlyDictionary<string, Type> BoundSections = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        [GrainsSection] = typeof(MemoryGrainOptions),
        [MembershipSection] = typeof(ClusterMembershipOptions),
    };

    private const string GrainsSection = "Grains";
    private const string MembershipSection = "Membership";
    private const string StorageSection = SiloOptions.SectionName + ":Storage";

    /// <summary>The IP address others reach this silo at: <see cref="SiloOptions.AdvertisedAddress"/>, else the HTTP listen
    /// address when it is a specific IP; null when neither is.</summary>
    public static string? ClusterHost(SiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        static bool Specific(string? a) => a is "localhost" || IPAddress.TryParse(a, out var ip)
            && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any);
        return Specific(options.AdvertisedAddress) ? options.AdvertisedAddress
            : options.AdvertisedAddress is null && Specific(options.Http.ListenAddress) ? options.Http.ListenAddress
            : null;
    }

    /// <summary>Configures the silo from validated options.</summary>
    public static void Configure(ISiloBuilder silo, SiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        AddClustering(silo, options);
        silo.Configure<Orleans.Configuration.SiloOptions>(o => o.SiloName = options.EffectiveSiloName);
        silo.Configure<ClusterMembershipOptions>(MembershipDefaults.Apply);
        silo.Services.Configure<ClusterMembershipOptions>(silo.Configuration.GetSection(SiloOptions.SectionName + ":" + MembershipSection));
        silo.UseMemoryStateJson();
        var storage = AddStorage(silo, options);
        silo.Services.AddSingleton(storage);
        StorageInstrumentation.Instrument(silo.Services, storage);
        silo.AddActivityPropagation();
        silo.AddSiloDashboard();
        if (options.KubernetesHosting)
        {
            silo.UseKubernetesHosting();
        }

        silo.AddMemoryGrains(o =>
        {
            o.MaxEmbeddingDimension = options.Limits.MaxEmbeddingDimension;
            if (IsLocal(options.Embeddings))
            {
                // Calibrated for all-MiniLM-L6-v2 on the labelled set (bench/OrleansMemory.Embeddings.Benchmarks); OrleansMemory:Grains overrides.
                o.DuplicateThreshold = MiniLmModel.DuplicateThreshold;
                o.ConflictThreshold = MiniLmModel.ConflictThreshold;
            }
        });
        silo.Services.Configure<MemoryGrainOptions>(silo.Configuration.GetSection(SiloOptions.SectionName + ":" + GrainsSection));
        silo.Services.AddMemoryEmbeddings(options.Embeddings);
        silo.AddOutgoingGrainCallFilter<OrleansMemory.Grains.Users.AddMemoryCallFilter>();
        Telemetry.TracingEmbeddingGenerator.Decorate(silo.Services);
        if (silo.Services.AddConflictClassifierChatClient(options.ConflictClassifier))
        {
            silo.UseChatClientMemoryClassifier(options.ConflictClassifier.Mode.Trim().Equals("replace", StringComparison.OrdinalIgnoreCase)
                ? ChatClientClassifierMode.Replace
                : ChatClientClassifierMode.Backstop);
        }
    }

    private static bool IsLocal(EmbeddingOptions embeddings) =>
        embeddings.Provider.Trim().Equals(EmbeddingProviders.Local, StringComparison.OrdinalIgnoreCase);

    private static void AddClustering(ISiloBuilder silo, SiloOptions options)
    {
        var clustering = options.Clustering;
        var siloPort = options.SiloPort == 0 ? FreePort() : options.SiloPort;
        var gatewayPort = options.GatewayPort == 0 ? FreePort() : options.GatewayPort;
        if (clustering.Kind == "localhost")
        {
            var primary = clustering.PrimarySiloPort is { } port && port != siloPort ? new IPEndPoint(IPAddress.Loopback, port) : null;
            silo.UseLocalhostClustering(siloPort, gatewayPort, primary, options.ServiceId, options.ClusterId);
            return;
        }

        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        var connection = clustering.ConnectionString!;
        if (clustering.Kind == "redis")
        {
            silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(connection));
        }
        else
        {
            if (clustering.CreateSchema)
            {
                silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new SchemaInitializer(connection));
            }

            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connection;
            });
        }

        var host = ClusterHost(options)!;
        var address = host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);
        silo.ConfigureEndpoints(address, siloPort, gatewayPort, listenOnAnyHostAddress: options.Http.ListenAddress is "0.0.0.0" or "*");
    }

    /// <summary>A port the OS reports free now (Orleans needs a fixed port number; 0 in the configuration asks for one).</summary>
    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static StorageTopology AddStorage(ISiloBuilder silo, SiloOptions options)
    {
        var storage = options.Storage;
        foreach (var backend in StorageBackends.Where(b => !BuiltInGrainStorageBackends.All.Contains(b)))
        {
            silo.AddGrainStorageBackend(backend);
        }

        var routed = storage.GrainTypes.Where(r => r.Value != DefaultProvider).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        var defaultName = routed.Count == 0 ? DefaultProvider : DefaultProvider + ".primary";
        var providers = new List<StorageProviderInfo> { AddProvider(silo, defaultName, storage.ToGrainStorageSettings(StorageSection, options.ServiceId)) };
        foreach (var (name, settings) in storage.Providers.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            providers.Add(AddProvider(silo, name, settings.ToGrainStorageSettings($"{StorageSection}:Providers:{name}", options.ServiceId)));
        }

        if (routed.Count > 0)
        {
            silo.Services.AddKeyedSingleton<IGrainStorage>(DefaultProvider, (sp, _) => new RoutingGrainStorage(
                sp.GetRequiredKeyedService<IGrainStorage>(defaultName),
                routed.ToDictionary(r => r.Key, r => sp.GetRequiredKeyedService<IGrainStorage>(r.Value), StringComparer.Ordinal)));
        }

        return new StorageTopology(providers, routed);
    }

    /// <summary>Registers one provider through the storage package, which validated the same settings at load.</summary>
    private static StorageProviderInfo AddProvider(ISiloBuilder silo, string name, GrainStorageSettings s)
    {
        silo.AddGrainStorageFromSettings(name, s);
        var location = s.Type switch
        {
            "memory" => "process memory",
            "file" => Path.GetFullPath(s.BaseDirectory),
            "sqlite" => s.ConnectionString is { } sqlite ? Redact(sqlite) : Path.GetFullPath(s.DbPath),
            _ => Redact(s.ConnectionString ?? ""),
        };
        return new StorageProviderInfo(name, s.Type, location);
    }

    /// <summary>A connection string without its password.</summary>
    public static string Redact(string connectionString) => string.Join(';', (connectionString ?? "").Split(';')
        .Where(part => !part.TrimStart().StartsWith("password", StringComparison.OrdinalIgnoreCase) && !part.TrimStart().StartsWith("pwd", StringComparison.OrdinalIgnoreCase)));
}
