namespace OrleansMemory.Grains.Tests;

/// <summary>One test cluster shared by the tests of a class; tests use their own grain keys.</summary>
public abstract class ClusterFixture : IAsyncLifetime
{
    private MemoryCluster? _cluster;

    public abstract StorageKind Kind { get; }

    public MemoryCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public async Task InitializeAsync() => _cluster = await MemoryCluster.StartAsync(Kind);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

public sealed class MemoryClusterFixture : ClusterFixture
{
    public override StorageKind Kind => StorageKind.Memory;
}

public sealed class FileClusterFixture : ClusterFixture
{
    public override StorageKind Kind => StorageKind.File;
}

/// <summary>Every memory grain test, against memory storage.</summary>
public sealed class MemoryStorageGrainTests(MemoryClusterFixture fixture) : MemoryGrainTests(fixture), IClassFixture<MemoryClusterFixture>;

/// <summary>Every memory grain test, against file storage in a temporary directory.</summary>
public sealed class FileStorageGrainTests(FileClusterFixture fixture) : MemoryGrainTests(fixture), IClassFixture<FileClusterFixture>;
