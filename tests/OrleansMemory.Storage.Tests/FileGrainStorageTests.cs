using System.Collections.Concurrent;
using System.Diagnostics;
using OrleansMemory.Hosting;

namespace OrleansMemory.Storage.Tests;

public sealed class FileGrainStorageTests : CatalogConformanceTests, IDisposable
{
    private readonly string _sandbox = Directory.CreateTempSubdirectory("omem-file-").FullName;

    private string Root => Path.Combine(_sandbox, "root");

    protected override void Register(ISiloBuilder silo) => Register(silo, null);

    private void Register(ISiloBuilder silo, Action<FileGrainStorageOptions>? configure) => silo.AddFileGrainStorage(ProviderName, o =>
    {
        o.BaseDirectory = Root;
        o.StateFileNames["state"] = "current";
        configure?.Invoke(o);
    });

    public void Dispose() => Directory.Delete(_sandbox, recursive: true);

    [Fact]
    public async Task Records_follow_the_design_layout()
    {
        await WriteAsync(Storage, Id("default/c1"), "x");
        await WriteAsync(Storage, Id("c1"), "x", stateName: "raw_messages/000042");
        await WriteAsync(Storage, Id("a1", "agent"), "x", stateName: "reasoning_chains");
        await WriteAsync(Storage, Id("u1", "my grain"), "x");
        Assert.True(File.Exists(Path.Combine(Root, "conversations", "default%2Fc1", "current.json")));
        Assert.True(File.Exists(Path.Combine(Root, "conversations", "c1", "raw_messages%2F000042.json")));
        Assert.True(File.Exists(Path.Combine(Root, "agents", "a1", "reasoning_chains.json")));
        Assert.True(File.Exists(Path.Combine(Root, "my%20grain", "u1", "current.json")));
        var json = await File.ReadAllTextAsync(Path.Combine(Root, "conversations", "default%2Fc1", "current.json"));
        Assert.Contains("\n  \"text\": \"x\"", json);
        Assert.DoesNotContain("$type", json);
    }

    [Fact]
    public async Task A_write_is_traced_whole_and_by_step_with_the_fsyncs_on_the_flush_threads()
    {
        const string GrainType = "traced grain"; // no other test writes this type: its spans are this test's
        var spans = new ConcurrentBag<Activity>();
        using var listener = Listen(spans);

        var first = await WriteAsync(Storage, Id("u1", GrainType), "x");

        // A new grain directory of a new type: the record's directory and both of its parents are flushed after the rename.
        var steps = Steps(spans, "file write state", GrainType);
        Assert.Equal(["file check", "file fsync", "file fsync call", .. Enumerable.Repeat("file fsync directory", 3),
            .. Enumerable.Repeat("file fsync directory call", 3), "file serialize", "file write"], steps.Select(a => a.OperationName).Order(StringComparer.Ordinal));
        var write = spans.Single(a => a.OperationName == "file write state" && a.TraceId == steps[0].TraceId);
        foreach (var (wait, name) in new[] { ("file fsync", "file fsync call"), ("file fsync directory", "file fsync directory call") })
        {
            foreach (var call in steps.Where(a => a.OperationName == name))
            {
                var parent = steps.Single(a => a.SpanId == call.ParentSpanId); // the flush thread's span sits under the wait for it
                Assert.Equal(wait, parent.OperationName);
                Assert.True(call.Duration <= parent.Duration && parent.Duration <= write.Duration);
            }
        }

        var fileFlushed = steps.Single(a => a.OperationName == "file fsync").StartTimeUtc;
        Assert.All(steps.Where(a => a.OperationName == "file fsync directory"), a => Assert.True(a.StartTimeUtc >= fileFlushed));

        spans.Clear();
        await WriteAsync(Storage, Id("u1", GrainType), "y", first.ETag);
        Assert.Single(Steps(spans, "file write state", GrainType), a => a.OperationName == "file fsync directory"); // its directory only

        spans.Clear();
        await WriteAsync(Storage, Id("u2", GrainType), "z"); // a new grain of a known type: its directory and the type's
        Assert.Equal(2, Steps(spans, "file write state", GrainType).Count(a => a.OperationName == "file fsync directory"));
    }

    [Fact]
    public async Task A_clear_flushes_the_directories_it_removed_files_from()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = Listen(spans);
        var id = Id("cleared", "cleared grain");
        var record = await WriteAsync(Storage, id, "v1");
        record = await WriteAsync(Storage, id, "v2", record.ETag); // keeps a backup
        var grainDirectory = Path.GetDirectoryName(((FileGrainStorage)Storage).GetPath("state", id))!;
        Assert.True(Directory.Exists(Path.Combine(grainDirectory, FileStorageLayout.BackupDirectory)));

        spans.Clear();
        using (var clear = TestSource.StartActivity("clear"))
        {
            await Storage.ClearStateAsync("state", id, record);
        }

        // The backups directory and the grain directory went with the record: their parent is flushed, once.
        Assert.False(Directory.Exists(grainDirectory));
        var flushes = Steps(spans, "clear").Where(a => a.OperationName == "file fsync directory").ToList();
        Assert.Single(flushes);
    }

    [Fact]
    public async Task A_directory_flush_passes_over_a_missing_directory_and_reports_any_other_failure()
    {
        await DiskFlush.FlushDirectoryAsync(_sandbox);
        await DiskFlush.FlushDirectoryAsync(Path.Combine(_sandbox, "gone")); // nothing there to flush
        var file = Path.Combine(_sandbox, "a-file");
        await File.WriteAllTextAsync(file, "x");
        var error = await Assert.ThrowsAsync<IOException>(() => DiskFlush.FlushDirectoryAsync(Path.Combine(file, "below")));
        Assert.Contains("Not a directory", error.Message);
    }

    private static readonly ActivitySource TestSource = new("OrleansMemory.Storage.Tests.File");

    private static ActivityListener Listen(ConcurrentBag<Activity> spans)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is FileStorageActivity.SourceName || s == TestSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    /// <summary>The spans under the root span named <paramref name="root"/> (of <paramref name="grainType"/>, if given).</summary>
    private static List<Activity> Steps(ConcurrentBag<Activity> spans, string root, string? grainType = null)
    {
        var top = Assert.Single(spans, a => a.OperationName == root && (grainType is null || (string?)a.GetTagItem("grain.type") == grainType));
        return [.. spans.Where(a => a.TraceId == top.TraceId && a != top)];
    }

    [Fact]
    public async Task Records_keep_backups_and_log_pages_do_not()
    {
        var id = Id("default/backed");
        var record = await WriteAsync(Storage, id, "v1", stateName: "raw_messages");
        await WriteAsync(Storage, id, "v2", record.ETag, stateName: "raw_messages");
        var page = await WriteAsync(Storage, id, "p1", stateName: "raw_messages/000000");
        page = await WriteAsync(Storage, id, "p2", page.ETag, stateName: "raw_messages/000000");
        await WriteAsync(Storage, id, "p3", page.ETag, stateName: "raw_messages/000000");
        var backups = Directory.GetFiles(Path.Combine(Root, "conversations", "default%2Fbacked", FileStorageLayout.BackupDirectory)).Select(Path.GetFileName);
        Assert.Equal(["raw_messages"], backups.Select(b => b![..b!.IndexOf('.', StringComparison.Ordinal)]));
    }

    [Fact]
    public async Task A_storage_folder_written_by_the_previous_version_loads()
    {
        var root = Path.Combine(_sandbox, "v1");
        CopyTree(Path.Combine(AppContext.BaseDirectory, "Fixtures", "storage_data_v1"), root);
        var host = await StartAsync(s => s.AddFileGrainStorage("v1", o => o.BaseDirectory = root));
        var storage = host.GetStorage("v1");
        var catalog = host.GetCatalog("v1")!;
        var document = new GrainState<FixtureDocumentState>();
        await storage.ReadStateAsync("current", Id("default/c1"), document);
        Assert.True(document.RecordExists);
        Assert.Equal("Trip planning", document.State!.Document?.GetProperty("title").GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero), document.State!.UpdatedAt);

        var page = new GrainState<FixtureMessagePage>();
        await storage.ReadStateAsync("raw_messages/000001", Id("default/c1"), page);
        Assert.Equal(["user", "assistant"], page.State!.Messages.Select(m => m.Role));
        Assert.Equal(FixtureImportance.VeryHigh, page.State!.Messages[1].Importance);
        Assert.True(double.IsNaN(page.State!.Messages[0].Score));

        var memories = new GrainState<FixtureMessagePage>();
        await storage.ReadStateAsync("memories", Id("default/alice", "user"), memories);
        Assert.True(memories.RecordExists);
        Assert.Equal(["conversation", "user"], await catalog.ListGrainTypesAsync());
        Assert.Equal(["current", "raw_messages/000001"], await catalog.ListStateNamesAsync(Id("default/c1")));

        // Writing back keeps the layout and the conventions (snake_case, string enums); a log page is written compact.
        await storage.WriteStateAsync("raw_messages/000001", Id("default/c1"), page);
        var json = await File.ReadAllTextAsync(Path.Combine(root, "conversations", "default%2Fc1", "raw_messages%2F000001.json"));
        Assert.Contains("\"importance\":\"very_high\"", json);
        Assert.Contains("\"score\":\"NaN\"", json);
        Assert.DoesNotContain("\n", json);
    }

    [Fact]
    public async Task Names_that_collide_with_mapped_names_stay_distinct()
    {
        await WriteAsync(Storage, Id("k", "conversations"), "type named like a directory");
        await WriteAsync(Storage, Id("k"), "mapped state", stateName: "state");
        await WriteAsync(Storage, Id("k"), "state named like a file", stateName: "current");
        Assert.Equal("type named like a directory", (await ReadAsync(Storage, Id("k", "conversations"))).State!.Text);
        Assert.Equal("mapped state", (await ReadAsync(Storage, Id("k"), "state")).State!.Text);
        Assert.Equal("state named like a file", (await ReadAsync(Storage, Id("k"), "current")).State!.Text);
        Assert.Equal(["current", "state"], await Catalog.ListStateNamesAsync(Id("k")));
        Assert.Equal(["conversation", "conversations"], await Catalog.ListGrainTypesAsync());
    }

    [Fact]
    public async Task No_key_reaches_outside_the_base_directory()
    {
        foreach (var key in OddKeys)
        {
            await WriteAsync(Storage, Id(key, string.IsNullOrWhiteSpace(key) || key.Contains('/', StringComparison.Ordinal) ? "t" : key), "x", stateName: key);
        }

        Assert.Equal(["root"], Directory.EnumerateFileSystemEntries(_sandbox).Select(Path.GetFileName));
        Assert.All(Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories), f => Assert.StartsWith(Root + "/", f, StringComparison.Ordinal));
        Assert.False(File.Exists("/etc/passwd.json"));
    }

    [Fact]
    public async Task Overwrites_keep_at_most_MaxBackupFiles_previous_versions()
    {
        var state = await WriteAsync(Storage, Id("c"), "v0");
        for (var i = 1; i <= 6; i++)
        {
            state = await WriteAsync(Storage, Id("c"), "v" + i, state.ETag);
        }

        var backups = Directory.GetFiles(Path.Combine(Root, "conversations", "c", ".backups")).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(5, backups.Count);
        Assert.Contains("\"v5\"", await File.ReadAllTextAsync(backups[^1]));
        Assert.Equal(["state"], await Catalog.ListStateNamesAsync(Id("c")));

        var limited = await StartAsync(s => Register(s, o => o.MaxBackupFiles = 2));
        var current = await ReadAsync(limited.GetStorage(ProviderName), Id("c"));
        await WriteAsync(limited.GetStorage(ProviderName), Id("c"), "v7", current.ETag);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(Root, "conversations", "c", ".backups")).Length);

        var none = (await StartAsync(s => Register(s, o => o.CreateBackups = false))).GetStorage(ProviderName);
        await WriteAsync(none, Id("d"), "v0");
        await WriteAsync(none, Id("d"), "v1", (await ReadAsync(none, Id("d"))).ETag);
        Assert.False(Directory.Exists(Path.Combine(Root, "conversations", "d", ".backups")));
    }

    [Fact]
    public async Task Clearing_a_record_erases_its_backups_and_leaves_no_empty_directory()
    {
        var state = await WriteAsync(Storage, Id("erased"), "v0", stateName: "profile");
        state = await WriteAsync(Storage, Id("erased"), "v1", state.ETag, stateName: "profile");
        var kept = await WriteAsync(Storage, Id("erased"), "k0", stateName: "other");
        await WriteAsync(Storage, Id("erased"), "k1", kept.ETag, stateName: "other");
        var grainDirectory = Path.Combine(Root, "conversations", "erased");
        Assert.Equal(2, Directory.GetFiles(Path.Combine(grainDirectory, ".backups")).Length);

        await Storage.ClearStateAsync("profile", Id("erased"), state);
        Assert.Equal(["other.json"], Directory.GetFiles(grainDirectory, "*.json").Select(Path.GetFileName));
        Assert.StartsWith("other.", Path.GetFileName(Assert.Single(Directory.GetFiles(Path.Combine(grainDirectory, ".backups")))), StringComparison.Ordinal);

        await Storage.ClearStateAsync("other", Id("erased"), await ReadAsync(Storage, Id("erased"), "other"));
        Assert.False(Directory.Exists(grainDirectory));
        Assert.False(Directory.Exists(Path.Combine(Root, "conversations")));
    }

    [Fact]
    public async Task Invalid_options_stop_the_silo_with_every_failure()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => StartAsync(s => Register(s, o =>
        {
            o.BaseDirectory = " ";
            o.MaxBackupFiles = 0;
            o.GrainTypeDirectories["x"] = "../up";
        })));
        Assert.Contains("BaseDirectory", error.Message);
        Assert.Contains("MaxBackupFiles", error.Message);
        Assert.Contains("GrainTypeDirectories['x']", error.Message);
    }

    [Fact]
    public async Task A_missing_directory_is_an_error_when_it_may_not_be_created()
    {
        var missing = Path.Combine(_sandbox, "missing");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(s => s.AddFileGrainStorage("ro", o =>
        {
            o.BaseDirectory = missing;
            o.CreateBaseDirectory = false;
        })));
        Assert.Contains(missing, error.ToString());
        Assert.False(Directory.Exists(missing));
    }

    private static void CopyTree(string source, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
