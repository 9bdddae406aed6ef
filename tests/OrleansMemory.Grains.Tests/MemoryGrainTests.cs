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

    /// <summary>Asserts that no record of the grain is left in storage (and, for file storage, no record file in its
    /// folder; backups under <c>.backups</c> are <see cref="FileStorageErasureTests"/>' concern).</summary>
    protected static void AssertNoRecords(MemoryCluster cluster, GrainId grainId)
    {
        Assert.Empty(cluster.Storage.LiveRecords(grainId));
        if (cluster.Directory is not null)
        {
            var folder = Path.GetDirectoryName(cluster.FilePath(grainId, "any"))!;
            var left = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json", SearchOption.TopDirectoryOnly) : [];
            Assert.True(left.Length == 0, $"files left in {folder}: {string.Join(", ", left)}");
        }
    }
}
