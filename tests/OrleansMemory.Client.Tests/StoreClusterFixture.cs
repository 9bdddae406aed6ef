using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansMemory.Hosting;

namespace OrleansMemory.Client.Tests;

/// <summary>A three-silo in-process test cluster with the memory grains, and a client host that registers
/// <see cref="MemoryStore"/> the way an agent host does (<c>services.AddMemoryStore</c> beside <c>UseOrleansClient</c>).
/// One cluster per test class.</summary>
public abstract class StoreClusterFixture : IAsyncLifetime
{
    public const string DirectoryKey = "tenant-a";

    private InProcessTestCluster? _cluster;

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    /// <summary>The store the client host's container built, over its <see cref="IClusterClient"/>.</summary>
    public MemoryStore Store => Cluster.Client.ServiceProvider.GetRequiredService<MemoryStore>();

    /// <summary>The file storage directory, for file clusters.</summary>
    public string? Directory { get; private set; }

    /// <summary>Adds the storage provider named "Default" to a silo.</summary>
    protected abstract void AddStorage(ISiloBuilder silo, string? directory);

    protected virtual string? CreateDirectory() => null;

    public async Task InitializeAsync()
    {
        Directory = CreateDirectory();
        var builder = new InProcessTestClusterBuilder(3);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            AddStorage(silo, Directory);
            silo.AddMemoryGrains();
        });
        builder.ConfigureClientHost(host => host.Services.AddMemoryStore(o => o.DirectoryKey = DirectoryKey));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }

        if (Directory is not null && System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}

public sealed class MemoryStorageClusterFixture : StoreClusterFixture
{
    protected override void AddStorage(ISiloBuilder silo, string? directory) => silo
        .UseMemoryStateJson()
        .AddMemoryGrainStorage("Default");
}

public sealed class FileStorageClusterFixture : StoreClusterFixture
{
    protected override string? CreateDirectory() => Path.Combine(Path.GetTempPath(), "omem-client-" + Guid.NewGuid().ToString("N"));

    protected override void AddStorage(ISiloBuilder silo, string? directory) =>
        silo.AddFileGrainStorage("Default", o => o.BaseDirectory = directory!);
}
