using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>Erasure with the file provider, whose <c>.backups</c> keep earlier versions of every record.</summary>
public sealed class FileStorageErasureTests(FileClusterFixture fixture) : IClassFixture<FileClusterFixture>
{
    [Fact]
    public async Task Erasing_a_user_leaves_no_backup_of_its_records_either()
    {
        var marker = Guid.NewGuid().ToString("N");
        var user = fixture.Cluster.Factory.GetGrain<IUserGrain>($"erased-{marker}");
        await user.AddMemoryAsync($"I live in London {marker}", Vectors.Axis(4, 0));
        await user.UpdateMemoryAsync((await user.ListMemoriesAsync()).Memories[0].Id, new MemoryUpdate(Text: $"I live in Leeds {marker}"));
        await user.AddMemoryAsync($"I like tea {marker}", Vectors.Axis(4, 1));
        var root = fixture.Cluster.Directory!;
        List<string> Holding() => [.. System.IO.Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains(marker, StringComparison.Ordinal))];
        Assert.Contains(Holding(), f => f.Contains(".backups", StringComparison.Ordinal)); // the earlier text was backed up

        await user.DeleteAllDataAsync();

        var holding = Holding();
        Assert.True(holding.Count == 0, $"the erased user's text is still in: {string.Join(", ", holding)}");

        var folder = Path.GetDirectoryName(fixture.Cluster.FilePath(user.GetGrainId(), "profile"))!;
        var left = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories) : [];
        Assert.True(left.Length == 0, $"files left in {folder}: {string.Join(", ", left.Select(Path.GetFileName))}");
    }
}
