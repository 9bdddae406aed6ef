using System.Text.Json;

namespace OrleansMemory.Grains.Tests;

/// <summary>The memory grain test suite; one subclass per storage provider.</summary>
public abstract partial class MemoryGrainTests(SiloFixture fixture)
{
    protected TestSilo Silo => fixture.Silo;

    protected StorageKind Kind => fixture.Kind;

    protected IGrainFactory Grains => Silo.Factory;

    protected static string Key(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    protected static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts that no record of the grain is left in storage (and, for file storage, no file in its folder).</summary>
    protected static void AssertNoRecords(TestSilo silo, GrainId grainId)
    {
        Assert.Empty(silo.Storage.LiveRecords(grainId));
        if (silo.Directory is not null)
        {
            var folder = Path.Combine(silo.Directory, OrleansMemory.Storage.StorageKeyEscaper.Escape(grainId.Type),
                OrleansMemory.Storage.StorageKeyEscaper.Escape(grainId.Key));
            Assert.True(!Directory.Exists(folder) || Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories).Length == 0,
                $"files left in {folder}: {(Directory.Exists(folder) ? string.Join(", ", Directory.GetFiles(folder)) : "")}");
        }
    }
}
