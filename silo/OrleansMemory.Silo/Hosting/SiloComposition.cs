using OrleansMemory.Configuration;
using OrleansMemory.Grains;
using OrleansMemory.Hosting;
using OrleansMemory.Silo.Configuration;

namespace OrleansMemory.Silo.Hosting;

/// <summary>Turns <see cref="SiloOptions"/> into a silo: clustering, storage providers, grains. The one seam where
/// providers of other packages (storage, clustering, memory grains) are wired in.</summary>
public static class SiloComposition
{
    /// <summary>The name the default provider is registered under (the memory grains use it).</summary>
    public const string DefaultProvider = PersistentStateAttribute.DefaultStorageName;

    private static readonly string[] ProviderKeys =
        ["Type", "BaseDirectory", "DbPath", "CreateBackups", "PrettyJson", "WalMode", "Timeout", "MaxBackups", "ConnectionString", "KeyPrefix", "ServiceId", "Schema"];

    /// <summary>Whether this build can run storage of <paramref name="type"/>.</summary>
    public static bool IsStorageAvailable(string type) => type is "file" or "memory" or "sqlite" or "postgres" or "redis";

    /// <summary>The IP address of the cluster port: <see cref="SiloOptions.AdvertisedAddress"/>, else the HTTP listen
    /// address when it is a specific IP; null when neither is.</summary>
    public static string? ClusterHost(SiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        static bool Specific(string? a) => a is "localhost" || System.Net.IPAddress.TryParse(a, out var ip)
            && !ip.Equals(System.Net.IPAddress.Any) && !ip.Equals(System.Net.IPAddress.IPv6Any);
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
        silo.Services.AddSingleton(AddStorage(silo, options));
        silo.AddMemoryGrains(o => o.MaxEmbeddingDimension = options.Limits.MaxEmbeddingDimension);
        silo.Services.Configure<MemoryGrainOptions>(silo.Configuration.GetSection(SiloOptions.SectionName + ":Grains"));
    }

    private static void AddClustering(ISiloBuilder silo, SiloOptions options)
    {
        var clustering = options.Clustering;
        if (clustering.Kind == "localhost")
        {
            silo.UseLocalhostClustering(options.ClusterId, options.ServiceId);
            return;
        }

        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        var connection = clustering.ConnectionString!;
        switch (clustering.Kind)
        {
            case "redis":
                silo.UseRedisClustering(o => o.ConfigurationString = connection);
                break;
            case "sqlite":
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = AdoNetInvariants.Sqlite;
                    o.ConnectionString = connection.Contains('=', StringComparison.Ordinal) ? connection : "Data Source=" + connection;
                });
                break;
            default:
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = AdoNetInvariants.PostgreSql;
                    o.ConnectionString = connection;
                });
                break;
        }

        silo.ConfigureEndpoints(options.SiloPort, ClusterHost(options)!);
        if (!string.IsNullOrEmpty(options.SharedSecret))
        {
            silo.UseSharedSecret(options.SharedSecret);
        }
    }

    private static StorageTopology AddStorage(ISiloBuilder silo, SiloOptions options)
    {
        var storage = options.Storage;
        var section = silo.Configuration.GetSection(SiloOptions.SectionName + ":Storage");
        var routed = storage.GrainTypes.Where(r => r.Value != DefaultProvider).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        var defaultName = routed.Count == 0 ? DefaultProvider : DefaultProvider + ".primary";
        var providers = new List<StorageProviderInfo> { AddProvider(silo, defaultName, section, storage, options.ServiceId) };
        foreach (var (name, settings) in storage.Providers.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            providers.Add(AddProvider(silo, name, section.GetSection("Providers:" + name), settings, options.ServiceId));
        }

        if (routed.Count > 0)
        {
            silo.Services.AddKeyedSingleton<IGrainStorage>(DefaultProvider, (sp, _) => new RoutingGrainStorage(
                sp.GetRequiredKeyedService<IGrainStorage>(defaultName),
                routed.ToDictionary(r => r.Key, r => sp.GetRequiredKeyedService<IGrainStorage>(r.Value), StringComparer.Ordinal)));
        }

        return new StorageTopology(providers, routed);
    }

    /// <summary>Registers one provider through the storage package's factory (<c>AddGrainStorageFromConfiguration</c>),
    /// giving it exactly this provider's keys as <c>OrleansMemory:Storage:*</c>.</summary>
    private static StorageProviderInfo AddProvider(ISiloBuilder silo, string name, IConfigurationSection section, StorageProviderSettings s, string serviceId)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal) { ["OrleansMemory:Storage:ServiceId"] = serviceId };
        foreach (var key in ProviderKeys)
        {
            if (section[key] is { } value)
            {
                values["OrleansMemory:Storage:" + key] = value;
            }
        }

        silo.AddGrainStorageFromConfiguration(name, new ConfigurationBuilder().AddInMemoryCollection(values).Build());
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
