using System.Text.Json;

namespace OrleansMemory.Grains.Tests;

/// <summary>The memory grain test suite; one subclass per storage provider.</summary>
public abstract partial class MemoryGrainTests(ClusterFixture fixture)
{
    protected MemoryCluster Cluster => fixture.Cluster;

    protected StorageKind Kind => fixture.Kind;

    /// <summary>The cluster client: every call crosses the wire to one of the silos.</summary>
    protected IGrainFactory Grains => Cluster.Factory;

    protected static string Key(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    protected static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts that no record of the grain is left in storage.</summary>
    protected static void AssertNoRecords(MemoryCluster cluster, GrainId grainId) => Assert.Empty(cluster.Storage.LiveRecords(grainId));
}
