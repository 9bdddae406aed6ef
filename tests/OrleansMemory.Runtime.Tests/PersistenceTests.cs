using OrleansMemory.Configuration;
using OrleansMemory.Storage;

namespace OrleansMemory.Runtime.Tests;

public sealed class PersistenceTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "om-runtime-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    public static TheoryData<string> Providers => ["memory", "file"];

    private IGrainStorage Create(string provider) => provider == "memory"
        ? new MemoryGrainStorage()
        : new FileGrainStorage("file", new FileGrainStorageOptions { BaseDirectory = _directory });

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task StaleETag_Throws_AndChangesNothing(string provider)
    {
        var storage = Create(provider);
        var id = GrainId.Create("counter", "etag");
        var first = new GrainState<CounterState>();
        var second = new GrainState<CounterState>();
        await storage.ReadStateAsync("s", id, first);
        await storage.ReadStateAsync("s", id, second);
        Assert.False(first.RecordExists);
        Assert.Null(first.ETag);

        first.State.Value = 1;
        await storage.WriteStateAsync("s", id, first);
        second.State.Value = 2;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("s", id, second));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("s", id, second));

        var read = new GrainState<CounterState>();
        await storage.ReadStateAsync("s", id, read);
        Assert.True(read.RecordExists);
        Assert.Equal(1, read.State.Value);
        Assert.Equal(first.ETag, read.ETag);

        await storage.ClearStateAsync("s", id, read);
        var cleared = new GrainState<CounterState>();
        await storage.ReadStateAsync("s", id, cleared);
        Assert.False(cleared.RecordExists);
        Assert.Equal(0, cleared.State.Value);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData("a\0b")]
    [InlineData("C:\\Windows\\win.ini")]
    [InlineData("ünïcødé 🚀 key")]
    public async Task FileStorage_KeepsEveryKeyInsideItsDirectory(string key)
    {
        var storage = new FileGrainStorage("file", new FileGrainStorageOptions { BaseDirectory = _directory });
        var id = GrainId.Create("../type", key);
        var path = storage.GetPath("../state", id);
        Assert.StartsWith(storage.RootDirectory + Path.DirectorySeparatorChar, path, StringComparison.Ordinal);
        Assert.Equal(3, Path.GetRelativePath(storage.RootDirectory, path).Split(Path.DirectorySeparatorChar).Length);

        var state = new GrainState<CounterState>(new CounterState { Value = 7 });
        await storage.WriteStateAsync("../state", id, state);
        var read = new GrainState<CounterState>();
        await storage.ReadStateAsync("../state", id, read);
        Assert.Equal(7, read.State.Value);
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void FileStorage_LongKeys_AreHashedToShortDistinctNames()
    {
        var a = StorageKeyEscaper.Escape(new string('k', 1000));
        var b = StorageKeyEscaper.Escape(new string('k', 999) + "j");
        Assert.True(a.Length <= StorageKeyEscaper.MaxSegmentLength);
        Assert.NotEqual(a, b);
        Assert.True(StorageKeyEscaper.TryUnescape(StorageKeyEscaper.Escape("a/b%c"), out var back));
        Assert.Equal("a/b%c", back);
    }

    [Fact]
    public async Task StateSurvivesARestartOnFileStorage()
    {
        await using (var silo = await TestSilo.StartAsync(s => s.AddFileStore(_directory)))
        {
            var grain = silo.Grains.GetGrain<ICounterGrain>("durable");
            await grain.IncrementAsync();
            await grain.IncrementAsync();
        }

        // The first host's shutdown ran OnDeactivateAsync, which wrote the state.
        await using var restarted = await TestSilo.StartAsync(s => s.AddFileStore(_directory));
        Assert.Equal(2, await restarted.Grains.GetGrain<ICounterGrain>("durable").GetAsync());
    }
}

internal static class SiloBuilderTestExtensions
{
    /// <summary>Replaces the default "store" provider with file storage in <paramref name="directory"/>.</summary>
    public static Hosting.ISiloBuilder AddFileStore(this Hosting.ISiloBuilder silo, string directory)
    {
        var existing = silo.Services.Where(d => d.IsKeyedService && Equals(d.ServiceKey, "store")).ToList();
        existing.ForEach(d => silo.Services.Remove(d));
        return Hosting.SiloBuilderExtensions.AddFileGrainStorage(silo, "store", o => o.BaseDirectory = directory);
    }
}
