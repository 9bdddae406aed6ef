using OrleansMemory.Hosting;
using Xunit.Abstractions;

namespace OrleansMemory.Storage.Tests;

/// <summary>File storage on a full disk (a small tmpfs): writes fail with the provider's error, acknowledged records
/// stay readable, and nothing is left behind: no zero-byte or partial backups, no empty grain directories, no
/// temporary files, and the readiness probe leaves no trace.</summary>
public sealed class FullDiskTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_full_disk_fails_writes_and_leaves_no_debris()
    {
        await using var disk = await SmallDisk.MountAsync("256k");
        if (disk is null)
        {
            output.WriteLine("Not run: mounting a tmpfs needs root (mount -t tmpfs).");
            return;
        }

        await using var host = await StorageHost.StartAsync(s => s.AddFileGrainStorage("full", o => o.BaseDirectory = disk.Path));
        var storage = host.GetStorage("full");
        var text = new string('x', 20_000);
        var acknowledged = new List<(GrainId Id, GrainState<TestState> State)>();
        var failures = 0;
        for (var i = 0; i < 40 && failures < 12; i++)
        {
            // New records and rewrites of earlier ones (each rewrite keeps a backup of the previous version).
            var id = GrainId.Create("conversation", "c" + (i % 6 == 5 ? i - 5 : i));
            var known = acknowledged.LastOrDefault(a => a.Id == id);
            var state = new GrainState<TestState>(new TestState { Text = text + i }, known.State?.ETag)
            {
                RecordExists = known.State is not null,
            };
            try
            {
                await storage.WriteStateAsync("state", id, state);
                acknowledged.RemoveAll(a => a.Id == id);
                acknowledged.Add((id, state));
            }
            catch (GrainStorageException)
            {
                failures++;
            }

            try
            {
                await GrainStorageProbe.ProbeAsync(storage);
            }
            catch (GrainStorageException)
            {
                failures++;
            }
        }

        Assert.True(failures > 0, "the disk never filled");
        foreach (var (id, state) in acknowledged)
        {
            var read = new GrainState<TestState>();
            await storage.ReadStateAsync("state", id, read);
            Assert.Equal(state.State!.Text, read.State!.Text);
        }

        var files = Directory.EnumerateFiles(disk.Path, "*", SearchOption.AllDirectories).ToList();
        Assert.DoesNotContain(files, f => f.Contains(FileStorageLayout.BackupDirectory, StringComparison.Ordinal) && new FileInfo(f).Length < text.Length);
        Assert.DoesNotContain(files, f => f.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(disk.Path, GrainStorageProbe.GrainType)), "the readiness probe left a directory");
        Assert.DoesNotContain(Directory.EnumerateDirectories(disk.Path, "*", SearchOption.AllDirectories),
            d => !Directory.EnumerateFileSystemEntries(d).Any());
    }
}
