namespace OrleansMemory.Storage.Tests;

public sealed class MemoryGrainStorageTests : GrainStorageConformanceTests
{
    private readonly MemoryGrainStorage _storage = new();

    protected override bool IsDurable => false;

    protected override Task<IGrainStorage> OpenAsync() => Task.FromResult<IGrainStorage>(_storage);
}
