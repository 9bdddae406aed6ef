namespace OrleansMemory.Grains.Tests;

/// <summary>One silo shared by the tests of a class; tests use their own grain keys.</summary>
public abstract class SiloFixture : IAsyncLifetime
{
    private TestSilo? _silo;

    public abstract StorageKind Kind { get; }

    public TestSilo Silo => _silo ?? throw new InvalidOperationException("The silo has not started.");

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(Kind);

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }
}

public sealed class MemorySiloFixture : SiloFixture
{
    public override StorageKind Kind => StorageKind.Memory;
}

public sealed class FileSiloFixture : SiloFixture
{
    public override StorageKind Kind => StorageKind.File;
}

/// <summary>Every memory grain test, against memory storage.</summary>
public sealed class MemoryStorageGrainTests(MemorySiloFixture fixture) : MemoryGrainTests(fixture), IClassFixture<MemorySiloFixture>;

/// <summary>Every memory grain test, against file storage in a temporary directory.</summary>
public sealed class FileStorageGrainTests(FileSiloFixture fixture) : MemoryGrainTests(fixture), IClassFixture<FileSiloFixture>;
