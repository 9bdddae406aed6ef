using OrleansMemory.Hosting;
using OrleansMemory.Grains;
using OrleansMemory.Silo.Configuration;

namespace OrleansMemory.Silo.Hosting;

/// <summary>Turns <see cref="SiloOptions"/> into a silo: clustering, storage providers, grains. The one seam where
/// providers of other packages (ADO.NET, Redis, clustering, memory grains) are wired in.</summary>
public static class SiloComposition
{
    /// <summary>The name the default provider is registered under (grains without a provider name use it).</summary>
    public const string DefaultProvider = PersistentStateAttribute.DefaultStorageName;

    /// <summary>Whether this build can run storage of <paramref name="type"/>.</summary>
    public static bool IsStorageAvailable(string type) => type is "file" or "memory" or "sqlite" or "postgres";

    /// <summary>Whether this build can run clustering of <paramref name="kind"/>.</summary>
    public static bool IsClusteringAvailable(string kind) => kind is "localhost";

    /// <summary>Configures the silo from validated options.</summary>
    public static void Configure(ISiloBuilder silo, SiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        silo.UseLocalhostClustering(options.ClusterId, options.ServiceId);
        silo.Services.AddSingleton(AddStorage(silo, options.Storage, options.ServiceId));
        silo.AddMemoryGrains(o => o.MaxEmbeddingDimension = options.Limits.MaxEmbeddingDimension);
        silo.Services.Configure<MemoryGrainOptions>(silo.Configuration.GetSection(SiloOptions.SectionName + ":Grains"));
    }

    private static StorageTopology AddStorage(ISiloBuilder silo, StorageSettings storage, string serviceId)
    {
        var routed = storage.GrainTypes.Where(r => r.Value != DefaultProvider).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        var defaultName = routed.Count == 0 ? DefaultProvider : DefaultProvider + ".primary";
        var providers = new List<StorageProviderInfo> { AddProvider(silo, defaultName, storage, serviceId) };
        foreach (var (name, settings) in storage.Providers.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            providers.Add(AddProvider(silo, name, settings, serviceId));
        }

        if (routed.Count > 0)
        {
            silo.Services.AddKeyedSingleton<IGrainStorage>(DefaultProvider, (sp, _) => new RoutingGrainStorage(
                sp.GetRequiredKeyedService<IGrainStorage>(defaultName),
                routed.ToDictionary(r => r.Key, r => sp.GetRequiredKeyedService<IGrainStorage>(r.Value), StringComparer.Ordinal)));
        }

        return new StorageTopology(providers, routed);
    }

    private static StorageProviderInfo AddProvider(ISiloBuilder silo, string name, StorageProviderSettings s, string serviceId)
    {
        switch (s.Type)
        {
            case "memory":
                silo.AddMemoryGrainStorage(name);
                return new StorageProviderInfo(name, s.Type, "process memory");
            case "file":
                silo.AddFileGrainStorage(name, o =>
                {
                    o.BaseDirectory = s.BaseDirectory;
                    o.PrettyPrintJson = s.PrettyJson;
                    o.CreateBackups = s.CreateBackups;
                    o.MaxBackupFiles = s.MaxBackups;
                });
                return new StorageProviderInfo(name, s.Type, Path.GetFullPath(s.BaseDirectory));
            case "sqlite":
                var dbPath = Path.GetFullPath(s.DbPath);
                Directory.CreateDirectory(Path.GetDirectoryName(dbPath)!);
                silo.AddSqliteGrainStorage(name, dbPath, o =>
                {
                    o.ServiceId = serviceId;
                    o.EnableWalMode = s.WalMode;
                    o.CommandTimeout = TimeSpan.FromSeconds(s.Timeout);
                });
                return new StorageProviderInfo(name, s.Type, dbPath);
            case "postgres":
                silo.AddPostgresGrainStorage(name, s.ConnectionString!, o =>
                {
                    o.ServiceId = serviceId;
                    o.CommandTimeout = TimeSpan.FromSeconds(s.Timeout);
                });
                return new StorageProviderInfo(name, s.Type, Redact(s.ConnectionString!));
            default:
                throw new InvalidOperationException($"Storage type '{s.Type}' is not available in this build.");
        }
    }

    /// <summary>A connection string without its password.</summary>
    public static string Redact(string connectionString) => string.Join(';', connectionString.Split(';')
        .Where(part => !part.TrimStart().StartsWith("password", StringComparison.OrdinalIgnoreCase) && !part.TrimStart().StartsWith("pwd", StringComparison.OrdinalIgnoreCase)));
}
