namespace OrleansMemory.Storage.Tests;

/// <summary>The contract every grain storage provider passes: one subclass per backend. Each test instance gets a fresh
/// store from <see cref="OpenAsync"/> (a new directory, database schema or key prefix); calling it again opens the same
/// store anew, to prove durability.</summary>
public abstract partial class GrainStorageConformanceTests : IAsyncLifetime
{
    private readonly List<IGrainStorage> _opened = [];

    protected IGrainStorage Storage { get; private set; } = null!;

    protected IGrainStorageCatalog Catalog => (IGrainStorageCatalog)Storage;

    /// <summary>Whether data survives closing the provider (false only for memory storage).</summary>
    protected virtual bool IsDurable => true;

    /// <summary>Opens the store of this test instance (the same store every time it is called).</summary>
    protected abstract Task<IGrainStorage> OpenAsync();

    public async Task InitializeAsync() => Storage = await TrackAsync();

    public async Task DisposeAsync()
    {
        foreach (var storage in _opened)
        {
            await CloseAsync(storage);
        }

        await CleanupAsync();
    }

    /// <summary>Removes the store of this test instance (a database schema, for example) after it is closed.</summary>
    protected virtual Task CleanupAsync() => Task.CompletedTask;

    protected static async Task CloseAsync(IGrainStorage storage)
    {
        switch (storage)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    protected async Task<IGrainStorage> TrackAsync()
    {
        var storage = await OpenAsync();
        _opened.Add(storage);
        return storage;
    }

    protected static GrainId Id(string key, string type = "conversation") => GrainId.Create(type, key);

    protected static async Task<GrainState<TestState>> ReadAsync(IGrainStorage storage, GrainId id, string stateName = "state")
    {
        var state = new GrainState<TestState>();
        await storage.ReadStateAsync(stateName, id, state);
        return state;
    }

    protected static async Task<GrainState<TestState>> WriteAsync(IGrainStorage storage, GrainId id, string text, string? eTag = null, string stateName = "state")
    {
        var state = new GrainState<TestState>(new TestState { Text = text, Number = text.Length, Items = ["a", text] }, eTag);
        await storage.WriteStateAsync(stateName, id, state);
        return state;
    }

    [StorageFact]
    public async Task Round_trip_of_a_small_state()
    {
        var id = Id("c1");
        var written = await WriteAsync(Storage, id, "hello wörld");
        Assert.NotNull(written.ETag);
        Assert.True(written.RecordExists);

        var read = await ReadAsync(Storage, id);
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal("hello wörld", read.State.Text);
        Assert.Equal(11, read.State.Number);
        Assert.Equal(["a", "hello wörld"], read.State.Items);
    }

    [StorageFact]
    public async Task Round_trip_of_a_5_MB_state()
    {
        var id = Id("big");
        var text = string.Create(5 * 1024 * 1024, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + (i % 26));
            }
        });
        var written = await WriteAsync(Storage, id, text);
        var read = await ReadAsync(Storage, id);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(text, read.State.Text);
    }

    public static readonly string[] OddKeys =
    [
        "a/b", "..", ".", "../../etc", "../../../../../../tmp/escape", "/etc/passwd", "C:\\Windows\\system32", "a\0b", "\u0001x",
        "", " ", "%", "%41", "~x", "CON", "a:b*?\"<>|", new string('k', 1000), new string('é', 1000), "🙂🚀 émoji ☃", "\n\t",
        "conversations", "current",
    ];

    [StorageFact]
    public async Task Odd_keys_round_trip_and_are_listed()
    {
        var eTags = new Dictionary<string, string?>();
        foreach (var key in OddKeys)
        {
            eTags[key] = (await WriteAsync(Storage, Id(key), "value of " + key)).ETag;
        }

        foreach (var key in OddKeys)
        {
            var read = await ReadAsync(Storage, Id(key));
            Assert.True(read.RecordExists, $"key {Describe(key)}");
            Assert.Equal("value of " + key, read.State.Text);
            Assert.Equal(eTags[key], read.ETag);
        }

        var listed = new List<string>();
        await foreach (var id in Catalog.StreamGrainIdsAsync("conversation", pageSize: 5))
        {
            listed.Add(id.Key);
        }

        Assert.Equal(OddKeys.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Equal(OddKeys.Length, (await Catalog.GetStatisticsAsync()).RecordCount);
    }

    [StorageFact]
    public async Task Odd_state_names_and_grain_types_round_trip()
    {
        string[] names = ["a/b", "..", "../../etc", "", "messages/000042", new string('s', 1000), "🙂"];
        foreach (var name in names)
        {
            await WriteAsync(Storage, Id("k", "../type/" + name), name, stateName: name);
        }

        foreach (var name in names)
        {
            Assert.Equal(name, (await ReadAsync(Storage, Id("k", "../type/" + name), name)).State.Text);
            Assert.Equal([name], await Catalog.ListStateNamesAsync(Id("k", "../type/" + name)));
        }

        Assert.Equal(names.Select(n => "../type/" + n).Order(StringComparer.Ordinal), await Catalog.ListGrainTypesAsync());
    }

    [StorageFact]
    public async Task Absent_state_reads_as_default()
    {
        var read = await ReadAsync(Storage, Id("nobody"));
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.NotNull(read.State);
        Assert.Equal(string.Empty, read.State.Text);
        Assert.Null(await Catalog.ReadRecordAsync(Id("nobody"), "state"));
    }

    [StorageFact]
    public async Task ETag_conflict_throws_and_leaves_the_record_unchanged()
    {
        var id = Id("c");
        var first = await WriteAsync(Storage, id, "v1");
        var second = await WriteAsync(Storage, id, "v2", first.ETag);
        Assert.NotEqual(first.ETag, second.ETag);

        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(Storage, id, "stale", first.ETag));
        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(Storage, id, "blind"));
        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(Storage, id, "made up", "12345"));
        var stale = new GrainState<TestState>(new TestState(), first.ETag, true);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync("state", id, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Catalog.WriteRecordAsync(id, "state", "{}"u8.ToArray(), first.ETag));

        var read = await ReadAsync(Storage, id);
        Assert.Equal("v2", read.State.Text);
        Assert.Equal(second.ETag, read.ETag);
    }

    [StorageFact]
    public async Task Clear_then_write()
    {
        var id = Id("c");
        var written = await WriteAsync(Storage, id, "v1");
        var staleETag = written.ETag;
        await Storage.ClearStateAsync("state", id, written);
        Assert.False(written.RecordExists);
        Assert.Null(written.ETag);
        Assert.Equal(string.Empty, written.State.Text);
        Assert.False((await ReadAsync(Storage, id)).RecordExists);
        Assert.Empty(await Catalog.ListStateNamesAsync(id));

        // Clearing an absent record with a null ETag is a no-op, also for a grain that never had any record.
        await Storage.ClearStateAsync("state", id, new GrainState<TestState>());
        await Storage.ClearStateAsync("state", Id("never written"), new GrainState<TestState>());
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync("state", Id("never written"), new GrainState<TestState>(new TestState(), "1", true)));

        var again = await WriteAsync(Storage, id, "v2");
        await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(Storage, id, "stale", staleETag));
        var read = await ReadAsync(Storage, id);
        Assert.Equal("v2", read.State.Text);
        Assert.Equal(again.ETag, read.ETag);
    }

    [StorageFact]
    public async Task Concurrent_writers_to_200_distinct_grains()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            var id = Id("g" + i);
            var first = await WriteAsync(Storage, id, "first " + i);
            return await WriteAsync(Storage, id, "second " + i, first.ETag);
        })));

        for (var i = 0; i < 200; i++)
        {
            var read = await ReadAsync(Storage, Id("g" + i));
            Assert.Equal("second " + i, read.State.Text);
            Assert.Equal(results[i].ETag, read.ETag);
        }

        var stats = await Catalog.GetStatisticsAsync();
        Assert.Equal(200, stats.RecordCount);
        Assert.Equal(200, Assert.Single(stats.GrainTypes).GrainCount);
    }

    [StorageFact]
    public async Task Racing_writers_to_one_grain_have_exactly_one_winner_per_round()
    {
        var id = Id("contended");
        var current = await WriteAsync(Storage, id, "start");
        for (var round = 0; round < 4; round++)
        {
            var eTag = current.ETag;
            var attempts = await Task.WhenAll(Enumerable.Range(0, 50).Select(w => Task.Run(async () =>
            {
                try
                {
                    return await WriteAsync(Storage, id, $"round {round} writer {w} " + new string('x', 2000), eTag);
                }
                catch (InconsistentStateException)
                {
                    return null;
                }
            })));

            var winner = Assert.Single(attempts, a => a is not null)!;
            var read = await ReadAsync(Storage, id);
            Assert.Equal(winner.State.Text, read.State.Text);
            Assert.Equal(winner.ETag, read.ETag);
            current = read;
        }
    }

    [StorageFact]
    public async Task Data_survives_closing_and_reopening()
    {
        var id = Id("durable");
        var written = await WriteAsync(Storage, id, "kept");
        await Catalog.WriteRecordAsync(Id("raw", "system"), "config", "{\"a\":1}"u8.ToArray(), null);
        if (!IsDurable)
        {
            return; // memory storage: nothing outlives the instance, by design.
        }

        await CloseAsync(Storage);
        var reopened = await OpenAsync();
        try
        {
            var read = await ReadAsync(reopened, id);
            Assert.Equal("kept", read.State.Text);
            Assert.Equal(written.ETag, read.ETag);
            var raw = await ((IGrainStorageCatalog)reopened).ReadRecordAsync(Id("raw", "system"), "config");
            Assert.Equal("{\"a\":1}"u8.ToArray(), raw!.Payload);
        }
        finally
        {
            await CloseAsync(reopened);
        }
    }

    protected static string Describe(string key) => key.Length > 40 ? key[..40] + "..." : key.Replace("\0", "\\0", StringComparison.Ordinal);
}
