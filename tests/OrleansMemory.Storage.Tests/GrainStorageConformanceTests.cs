using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansMemory.Hosting;

namespace OrleansMemory.Storage.Tests;

/// <summary>The contract every grain storage provider passes through Orleans' <see cref="IGrainStorage"/>: one subclass
/// per backend. Each test instance gets a fresh store (a new directory, database file, schema or key prefix), hosted by a
/// real silo (<see cref="StorageHost"/>) so the providers' lifecycle runs; <see cref="ReopenAsync"/> starts another silo
/// on the same store, to prove durability.</summary>
public abstract partial class GrainStorageConformanceTests : IAsyncLifetime
{
    /// <summary>The name every subclass registers its provider under.</summary>
    protected const string ProviderName = "store";

    private readonly List<StorageHost> _hosts = [];

    protected StorageHost Host { get; private set; } = null!;

    protected IGrainStorage Storage => Host.GetStorage(ProviderName);

    /// <summary>Registers the provider <see cref="ProviderName"/> for this test instance's store.</summary>
    protected abstract void Register(ISiloBuilder silo);

    public async Task InitializeAsync() => Host = await StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await CleanupAsync();
    }

    /// <summary>Removes the store of this test instance (a database schema, for example) after its silos stopped.</summary>
    protected virtual Task CleanupAsync() => Task.CompletedTask;

    /// <summary>Starts a silo with this instance's provider (or <paramref name="register"/>'s).</summary>
    protected async Task<StorageHost> StartAsync(Action<ISiloBuilder>? register = null)
    {
        var host = await StorageHost.StartAsync(register ?? Register);
        _hosts.Add(host);
        return host;
    }

    /// <summary>Stops the current silo and starts a new one on the same store.</summary>
    protected async Task<IGrainStorage> ReopenAsync()
    {
        await Host.DisposeAsync();
        _hosts.Remove(Host);
        Host = await StartAsync();
        return Storage;
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
        var state = new GrainState<TestState>(new TestState { Text = text, Number = text.Length, Items = ["a", text] }, eTag) { RecordExists = eTag is not null };
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
        Assert.Equal("hello wörld", read.State!.Text);
        Assert.Equal(11, read.State!.Number);
        Assert.Equal(["a", "hello wörld"], read.State!.Items);
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
        Assert.Equal(text, read.State!.Text);
    }

    /// <summary>Keys an API user may send (NUL excluded: PostgreSQL text cannot hold it; empty and all-whitespace keys
    /// excluded: Orleans refuses them in a GrainId).</summary>
    public static readonly string[] OddKeys =
    [
        "a/b", "default/c1", "..", ".", "../../etc", "../../../../../../tmp/escape", "/etc/passwd", "C:\\Windows\\system32", "\u0001x",
        " x", "%", "%41", "~x", "CON", "a:b*?\"<>|", new string('k', 1000), new string('é', 1000), "🙂🚀 émoji ☃", "\n\tx",
        "conversations", "current", "c1", "C1", "0c1", "42", "042", "2a+ext", "6f9619ff8b86d011b42d00c04fc964ff",
    ];

    [StorageFact]
    public async Task Odd_keys_round_trip_without_colliding()
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
            Assert.Equal("value of " + key, read.State!.Text);
            Assert.Equal(eTags[key], read.ETag);
        }
    }

    /// <summary>Whether the backend can hold NUL (U+0000) in keys; one that cannot must refuse them with a clear error.</summary>
    protected virtual bool StoresNulInKeys => true;

    [StorageFact]
    public async Task Keys_with_NUL_round_trip_or_are_refused_clearly_with_nothing_changed()
    {
        var plain = await WriteAsync(Storage, Id("a"), "plain a");
        string[] keys = ["a\0", "a\0b", "\0"];
        foreach (var key in keys)
        {
            if (StoresNulInKeys)
            {
                var written = await WriteAsync(Storage, Id(key), "value of " + Describe(key));
                var read = await ReadAsync(Storage, Id(key));
                Assert.Equal((written.ETag, "value of " + Describe(key)), (read.ETag, read.State!.Text));
            }
            else
            {
                var error = await Assert.ThrowsAsync<ArgumentException>(() => WriteAsync(Storage, Id(key), "never stored"));
                Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
            }
        }

        var after = await ReadAsync(Storage, Id("a"));
        Assert.Equal((plain.ETag, "plain a"), (after.ETag, after.State!.Text));
    }

    [StorageFact]
    public async Task Grains_of_different_types_with_the_same_key_and_state_name_do_not_collide()
    {
        await WriteAsync(Storage, Id("x", "user"), "the user", stateName: "memories/head");
        await WriteAsync(Storage, Id("x", "conversation"), "the conversation", stateName: "memories/head");
        Assert.Equal("the user", (await ReadAsync(Storage, Id("x", "user"), "memories/head")).State!.Text);
        Assert.Equal("the conversation", (await ReadAsync(Storage, Id("x", "conversation"), "memories/head")).State!.Text);
    }

    [StorageFact]
    public async Task Odd_state_names_round_trip()
    {
        string[] names = ["a/b", "..", "../../etc", "", "messages/000042", new string('s', 1000), "🙂"];
        foreach (var name in names)
        {
            await WriteAsync(Storage, Id("k"), name, stateName: name);
        }

        foreach (var name in names)
        {
            Assert.Equal(name, (await ReadAsync(Storage, Id("k"), name)).State!.Text);
        }
    }

    [StorageFact]
    public async Task Absent_state_reads_as_default()
    {
        var read = await ReadAsync(Storage, Id("nobody"));
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.NotNull(read.State);
        Assert.Equal(string.Empty, read.State!.Text);
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
        var stale = new GrainState<TestState>(new TestState(), first.ETag) { RecordExists = true };
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync("state", id, stale));

        var read = await ReadAsync(Storage, id);
        Assert.Equal("v2", read.State!.Text);
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
        Assert.Equal(string.Empty, written.State!.Text);
        Assert.False((await ReadAsync(Storage, id)).RecordExists);

        // Clearing an absent record with a null ETag is a no-op, also for a grain that never had any record.
        await Storage.ClearStateAsync("state", id, new GrainState<TestState>());
        await Storage.ClearStateAsync("state", Id("never written"), new GrainState<TestState>());
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync("state", Id("never written"), new GrainState<TestState>(new TestState(), "1") { RecordExists = true }));

        var again = await WriteAsync(Storage, id, "v2");
        if (staleETag != again.ETag)
        {
            await Assert.ThrowsAsync<InconsistentStateException>(() => WriteAsync(Storage, id, "stale", staleETag));
        }

        var read = await ReadAsync(Storage, id);
        Assert.Equal("v2", read.State!.Text);
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
            Assert.Equal("second " + i, read.State!.Text);
            Assert.Equal(results[i].ETag, read.ETag);
        }
    }

    [StorageFact]
    public async Task Racing_writers_to_one_grain_have_exactly_one_winner_per_round()
    {
        var id = Id("contended");
        var current = new GrainState<TestState>();
        for (var round = 0; round < 4; round++)
        {
            var eTag = current.ETag; // round 0 races the first write of the record
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
            Assert.Equal(winner.State!.Text, read.State!.Text);
            Assert.Equal(winner.ETag, read.ETag);
            current = read;
        }
    }

    [StorageFact]
    public async Task The_health_check_does_a_round_trip()
    {
        var health = await new GrainStorageHealthCheck(ProviderName, Storage).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Contains("round trip ok", health.Description);
    }

    /// <summary>Orleans' default (Newtonsoft) storage serializer writes a state of a type outside its allow-list and then
    /// cannot read it back; with System.Text.Json every plain record type reads back identical (after a fresh silo, for
    /// durable stores).</summary>
    [StorageFact]
    public async Task A_plain_record_state_reads_back_identical()
    {
        var id = Id("plain");
        var state = PlainRecordState.Sample();
        var written = new GrainState<PlainRecordState>(state);
        await Storage.WriteStateAsync("plain", id, written);

        var storage = await ReopenIfDurableAsync();
        var read = new GrainState<PlainRecordState>();
        await storage.ReadStateAsync("plain", id, read);
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(state.Describe(), read.State!.Describe());
    }

    /// <summary>A new silo on the same store, or (memory storage) the current one.</summary>
    protected virtual Task<IGrainStorage> ReopenIfDurableAsync() => ReopenAsync();

    protected static string Describe(string key) => key.Length > 40 ? key[..40] + "..." : key.Replace("\0", "\\0", StringComparison.Ordinal);
}
