using Microsoft.Extensions.Configuration;
using OrleansMemory.Cli;
using OrleansMemory.Hosting;
using Spectre.Console;

namespace OrleansMemory.Storage.Tests;

/// <summary>omem's read-only commands (stats, inspect, health, migrate's source) never create what they read, and the
/// console behaves on terminals, pipes and NO_COLOR.</summary>
public sealed class CliReadOnlyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("omem-ro-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_mistyped_path_is_an_error_naming_it_and_nothing_is_created()
    {
        var folder = Path.Combine(_directory, "no-such-folder");
        var database = Path.Combine(_directory, "no-such-dir", "typo.db");
        foreach (var uri in new[] { "file:" + folder, "sqlite:" + database })
        {
            foreach (var args in new[] { new[] { "stats", "-s", uri }, ["health", "-s", uri], ["inspect", "conversation", "c1", "-s", uri] })
            {
                var (exitCode, output, _) = await Omem.RunAsync(args);
                Assert.True(exitCode != 0, $"{string.Join(' ', args)}:\n{output}");
                Assert.Contains(uri.Contains("file:", StringComparison.Ordinal) ? folder : "typo.db", output.Replace("\n", "", StringComparison.Ordinal));
            }

            var migrate = await Omem.RunAsync("migrate", "--from", uri, "--to", "file:" + Path.Combine(_directory, "target"));
            Assert.Equal(1, migrate.ExitCode);
            Assert.DoesNotContain("verified", migrate.Output, StringComparison.OrdinalIgnoreCase);
        }

        Assert.False(Directory.Exists(folder));
        Assert.False(Directory.Exists(Path.GetDirectoryName(database)));
        Assert.False(Directory.Exists(Path.Combine(_directory, "target", "conversations")));
    }

    [Fact]
    public async Task An_empty_database_is_an_error_that_points_to_db_init_and_stays_empty()
    {
        var database = Path.Combine(_directory, "empty.db");
        await File.WriteAllBytesAsync(database, []);
        var stats = await Omem.RunAsync("stats", "-s", "sqlite:" + database);
        Assert.Equal(1, stats.ExitCode);
        Assert.Contains("omem db init", stats.Output);
        Assert.Equal(0, new FileInfo(database).Length);

        Assert.Equal(0, (await Omem.RunAsync("db", "init", "-s", "sqlite:" + database)).ExitCode);
        Assert.Equal(0, (await Omem.RunAsync("db", "init", "-s", "sqlite:" + database)).ExitCode);
        Assert.Equal(0, (await Omem.RunAsync("stats", "-s", "sqlite:" + database)).ExitCode);
    }

    [Fact]
    public async Task Health_of_file_storage_leaves_no_trace()
    {
        var root = Directory.CreateDirectory(Path.Combine(_directory, "files")).FullName;
        var health = await Omem.RunAsync("health", "-s", "file:" + root);
        Assert.True(health.ExitCode == 0, health.Output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    [Fact]
    public async Task Inspect_takes_the_id_as_the_API_user_knows_it_and_the_tenant_as_an_option()
    {
        var uri = "file:" + Path.Combine(_directory, "tenants");
        await using (var store = await CliStore.OpenAsync(uri))
        {
            await store.Catalog("store").WriteRecordAsync(GrainId.Create("conversation", "default/c1"), "current", "{\"title\":\"in default\"}"u8.ToArray(), null);
            await store.Catalog("store").WriteRecordAsync(GrainId.Create("conversation", "acme/c1"), "current", "{\"title\":\"in acme\"}"u8.ToArray(), null);
        }

        var inDefault = await Omem.RunAsync("inspect", "conversation", "c1", "-s", uri);
        Assert.Equal(0, inDefault.ExitCode);
        Assert.Contains("in default", inDefault.Output);
        var inAcme = await Omem.RunAsync("inspect", "conversation", "c1", "--tenant", "acme", "-s", uri);
        Assert.Contains("in acme", inAcme.Output);
        Assert.Equal(1, (await Omem.RunAsync("inspect", "conversation", "c1", "--tenant", "nobody", "-s", uri)).ExitCode);
        Assert.Contains("in acme", (await Omem.RunAsync("inspect", "conversation", "acme/c1", "--raw-key", "-s", uri)).Output);
    }

    [Fact]
    public async Task Migration_progress_is_plain_lines_when_not_on_a_terminal()
    {
        var source = "file:" + Path.Combine(_directory, "src");
        var expected = await CliSeed.SeedAsync(source, grains: 3);
        var (exitCode, output, _) = await Omem.RunAsync("migrate", "--from", source, "--to", "sqlite:" + Path.Combine(_directory, "t.db"));
        Assert.True(exitCode == 0, output);
        Assert.Contains($"Copying: {expected.Count}/{expected.Count} records", output);
        Assert.Contains("records/s, ETA", output);
        Assert.DoesNotContain("\u001b[", output);
    }

    [Fact]
    public void Colour_only_on_a_terminal_and_never_with_NO_COLOR()
    {
        var piped = OmemConsole.Create(redirected: true, noColor: null, new StringWriter());
        Assert.Equal((false, false, ColorSystem.NoColors), (piped.Profile.Capabilities.Ansi, piped.Profile.Capabilities.Interactive, piped.Profile.Capabilities.ColorSystem));
        var noColor = OmemConsole.Create(redirected: false, noColor: "1", new StringWriter());
        Assert.Equal(ColorSystem.NoColors, noColor.Profile.Capabilities.ColorSystem);
    }

    [Fact]
    public async Task Data_omem_moves_is_what_a_silo_with_the_documented_defaults_serves()
    {
        // The silo side registers providers from configuration with nothing but type and location, as an operator would.
        var files = Path.Combine(_directory, "silo-files");
        var database = Path.Combine(_directory, "silo.db");
        await using (var silo = await StorageHost.StartAsync(s => s.AddAllGrainStorageBackends().AddGrainStorageFromConfiguration("default", Config(("CONNECTOME_STORAGE_BASE_DIR", files)))))
        {
            await silo.GetStorage("default").WriteStateAsync("current", GrainId.Create("conversation", "default/c1"), new GrainState<TestState>(new TestState { Text = "moved" }));
        }

        var migrate = await Omem.RunAsync("migrate", "--from", "file:" + files, "--to", "sqlite:" + database);
        Assert.True(migrate.ExitCode == 0, migrate.Output);

        await using var target = await StorageHost.StartAsync(s => s.AddAllGrainStorageBackends().AddGrainStorageFromConfiguration("default",
            Config(("CONNECTOME_STORAGE_TYPE", "sqlite"), ("CONNECTOME_STORAGE_DB_PATH", database))));
        var read = new GrainState<TestState>();
        await target.GetStorage("default").ReadStateAsync("current", GrainId.Create("conversation", "default/c1"), read);
        Assert.True(read.RecordExists);
        Assert.Equal("moved", read.State!.Text);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
