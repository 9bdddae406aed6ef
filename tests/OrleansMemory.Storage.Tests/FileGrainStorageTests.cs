using OrleansMemory.Configuration;

namespace OrleansMemory.Storage.Tests;

public sealed class FileGrainStorageTests : GrainStorageConformanceTests, IDisposable
{
    private readonly string _sandbox = Directory.CreateTempSubdirectory("omem-file-").FullName;

    private string Root => Path.Combine(_sandbox, "root");

    protected override Task<IGrainStorage> OpenAsync() => Task.FromResult<IGrainStorage>(Open());

    private FileGrainStorage Open(Action<FileGrainStorageOptions>? configure = null)
    {
        var options = new FileGrainStorageOptions { BaseDirectory = Root, StateFileNames = { ["state"] = "current" } };
        configure?.Invoke(options);
        return new FileGrainStorage("files", options);
    }

    public void Dispose() => Directory.Delete(_sandbox, recursive: true);

    [Fact]
    public async Task Records_follow_the_design_layout()
    {
        await WriteAsync(Storage, Id("c1"), "x");
        await WriteAsync(Storage, Id("c1"), "x", stateName: "raw_messages");
        await WriteAsync(Storage, Id("a1", "agent"), "x", stateName: "reasoning_chains");
        await WriteAsync(Storage, Id("u1", "my grain"), "x");
        Assert.True(File.Exists(Path.Combine(Root, "conversations", "c1", "current.json")));
        Assert.True(File.Exists(Path.Combine(Root, "conversations", "c1", "raw_messages.json")));
        Assert.True(File.Exists(Path.Combine(Root, "agents", "a1", "reasoning_chains.json")));
        Assert.True(File.Exists(Path.Combine(Root, "my%20grain", "u1", "current.json")));
        Assert.Contains("\n  \"text\": \"x\"", await File.ReadAllTextAsync(Path.Combine(Root, "conversations", "c1", "current.json")));
    }

    [Fact]
    public async Task Names_that_collide_with_mapped_names_stay_distinct()
    {
        await WriteAsync(Storage, Id("k", "conversations"), "type named like a directory");
        await WriteAsync(Storage, Id("k"), "mapped state", stateName: "state");
        await WriteAsync(Storage, Id("k"), "state named like a file", stateName: "current");
        Assert.Equal("type named like a directory", (await ReadAsync(Storage, Id("k", "conversations"))).State.Text);
        Assert.Equal("mapped state", (await ReadAsync(Storage, Id("k"), "state")).State.Text);
        Assert.Equal("state named like a file", (await ReadAsync(Storage, Id("k"), "current")).State.Text);
        Assert.Equal(["current", "state"], await Catalog.ListStateNamesAsync(Id("k")));
        Assert.Equal(["conversation", "conversations"], await Catalog.ListGrainTypesAsync());
    }

    [Fact]
    public async Task No_key_reaches_outside_the_base_directory()
    {
        foreach (var key in OddKeys)
        {
            await WriteAsync(Storage, Id(key, string.IsNullOrWhiteSpace(key) ? "t" : key), "x", stateName: key);
        }

        Assert.Equal(["root"], Directory.EnumerateFileSystemEntries(_sandbox).Select(Path.GetFileName));
        Assert.All(Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories), f => Assert.StartsWith(Root + "/", f, StringComparison.Ordinal));
        Assert.False(File.Exists("/etc/passwd.json"));
    }

    [Fact]
    public async Task Overwrites_keep_at_most_MaxBackupFiles_previous_versions()
    {
        var files = (FileGrainStorage)Storage;
        var state = await WriteAsync(Storage, Id("c"), "v0");
        for (var i = 1; i <= 6; i++)
        {
            state = await WriteAsync(Storage, Id("c"), "v" + i, state.ETag);
        }

        var backups = Directory.GetFiles(Path.Combine(Root, "conversations", "c", ".backups")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(5, backups.Count);
        Assert.Contains("\"v5\"", await File.ReadAllTextAsync(backups[^1]));
        Assert.Equal(["state"], await files.ListStateNamesAsync(Id("c")));

        var limited = Open(o => o.MaxBackupFiles = 2);
        var current = await ReadAsync(limited, Id("c"));
        await WriteAsync(limited, Id("c"), "v7", current.ETag);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(Root, "conversations", "c", ".backups")).Length);

        var none = Open(o => o.CreateBackups = false);
        await WriteAsync(none, Id("d"), "v0");
        await WriteAsync(none, Id("d"), "v1", (await ReadAsync(none, Id("d"))).ETag);
        Assert.False(Directory.Exists(Path.Combine(Root, "conversations", "d", ".backups")));
    }

    [Fact]
    public void Invalid_options_are_all_reported()
    {
        var error = Assert.Throws<ArgumentException>(() => Open(o =>
        {
            o.BaseDirectory = " ";
            o.MaxBackupFiles = 0;
            o.GrainTypeDirectories["x"] = "../up";
        }));
        Assert.Contains("BaseDirectory", error.Message);
        Assert.Contains("MaxBackupFiles", error.Message);
        Assert.Contains("GrainTypeDirectories['x']", error.Message);
    }
}
