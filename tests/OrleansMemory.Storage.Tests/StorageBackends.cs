using OrleansMemory.Hosting;

namespace OrleansMemory.Storage.Tests;

/// <summary>Every storage type of the three storage packages, as the product's silo registers them.</summary>
internal static class StorageBackends
{
    public static ISiloBuilder AddAllGrainStorageBackends(this ISiloBuilder silo) =>
        silo.AddAdoNetGrainStorageBackends().AddRedisGrainStorageBackend();
}
