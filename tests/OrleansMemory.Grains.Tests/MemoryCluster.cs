using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansMemory.Hosting;
using OrleansMemory.Storage;

namespace OrleansMemory.Grains.Tests;

/// <summary>Which real storage provider a test cluster keeps its records in.</summary>
public enum StorageKind
{
    Memory,
    File,
}

/// <summary>An in-process Orleans test cluster of three silos (in-memory transport, Development environment, so Orleans
/// checks that every type in a grain interface is serializable) with the memory grains and a storage provider named
/// "Default" wrapped in <see cref="RecordingGrainStorage"/> on every silo. Tests call grains through
/// <see cref="Client"/>, so every argument, result and exception crosses the wire.</summary>
public sealed class MemoryCluster : IAsyncDisposable
{
    public const int SiloCount = 3;

    private readonly bool _ownsDirectory;

    private MemoryCluster(InProcessTestCluster cluster, StorageRecorder storage, string? directory, bool ownsDirectory)
    {
        Cluster = cluster;
        Storage = storage;
        Directory = directory;
        _ownsDirectory = ownsDirectory;
    }

    public InProcessTestCluster Cluster { get; }

    /// <summary>The cluster client: calls through it are serialized.</summary>
    public IClusterClient Client => Cluster.Client;

    public IGrainFactory Factory => Cluster.Client;

    /// <summary>What the storage of all silos was asked to do.</summary>
    public StorageRecorder Storage { get; }

    /// <summary>The file storage directory, for file clusters.</summary>
    public string? Directory { get; }

    public static async Task<MemoryCluster> StartAsync(StorageKind kind, string? directory = null, Action<MemoryGrainOptions>? configure = null,
        Action<IServiceCollection>? services = null, Action<ISiloBuilder>? silo = null)
    {
        var ownsDirectory = kind == StorageKind.File && directory is null;
        if (kind == StorageKind.File)
        {
            directory ??= NewDirectory();
        }

        var recorder = new StorageRecorder();
        var builder = new InProcessTestClusterBuilder(SiloCount);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, s) =>
        {
            services?.Invoke(s.Services);
            AddRecordedStorage(s, kind, directory, recorder);
            s.AddMemoryGrains(o =>
            {
                o.MaxDocumentBytes = 64 * 1024;
                configure?.Invoke(o);
            });
            silo?.Invoke(s);
        });

        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return new MemoryCluster(cluster, recorder, directory, ownsDirectory);
    }

    /// <summary>Deactivates the grains (wherever they live) and waits until they are gone, so that the next call
    /// activates them afresh from storage.</summary>
    public async Task DeactivateAsync(params IAddressable[] grains)
    {
        foreach (var grain in grains)
        {
            await Cluster.DeactivateAsync(grain);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        if (_ownsDirectory && System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), "omem-grains-" + Guid.NewGuid().ToString("N"));

    /// <summary>The path of a record's file on a file cluster (the provider's own layout).</summary>
    public string FilePath(GrainId grainId, string stateName)
    {
        var storage = Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageName);
        return ((FileGrainStorage)((RecordingGrainStorage)storage).Inner).GetPath(stateName, grainId);
    }

    private const string StorageName = "Default";

    /// <summary>Registers the real provider as "Default" the way the product does, then wraps that registration in the
    /// recorder: the keyed service "Default" becomes the wrapper, built around what the provider's own factory makes.
    /// Its lifecycle registration (if any) resolves the wrapper, which passes the lifecycle on.</summary>
    private static void AddRecordedStorage(ISiloBuilder silo, StorageKind kind, string? directory, StorageRecorder recorder)
    {
        silo.UseMemoryStateJson();
        if (kind == StorageKind.File)
        {
            silo.AddFileGrainStorage(StorageName, o => o.BaseDirectory = directory!);
        }
        else
        {
            silo.AddMemoryGrainStorage(StorageName);
        }

        var provider = silo.Services.Last(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, StorageName));
        var factory = provider.KeyedImplementationFactory ?? throw new InvalidOperationException("The storage provider has no factory.");
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageName, (sp, key) => new RecordingGrainStorage(
            (IGrainStorage)factory(sp, key), sp.GetKeyedService<IGrainStorageSerializer>(key) ?? sp.GetRequiredService<IGrainStorageSerializer>(), recorder));
    }
}
