using System.Text;
using OrleansMemory.Cli;

namespace OrleansMemory.Storage.Tests;

[RequiresServer(TestServers.Postgres, TestServers.Redis)]
public sealed class CliMigrationChainTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("omem-cli-").FullName;
    private readonly string _schema = $"omem_cli_{TestServers.RunId}";
    private readonly string _service = $"omem-cli-{TestServers.RunId}";

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        if (Environment.GetEnvironmentVariable(TestServers.Postgres) is { Length: > 0 } postgres)
        {
            using var dataSource = Npgsql.NpgsqlDataSource.Create(postgres);
            using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
            command.ExecuteNonQuery();
        }
    }

    [StorageFact]
    public async Task Migrating_file_to_sqlite_to_postgres_to_redis_to_file_keeps_every_record_byte_for_byte()
    {
        var start = "file:" + Path.Combine(_directory, "start");
        var expected = await CliSeed.SeedAsync(start, grains: 40);
        string[] chain =
        [
            start,
            "sqlite:" + Path.Combine(_directory, "chain.db"),
            $"postgres:{TestServers.PostgresConnection}?schema={_schema}",
            $"redis:{TestServers.RedisConfiguration}?service={_service}",
            "file:" + Path.Combine(_directory, "end"),
        ];
        var missingSchema = await Omem.RunAsync("migrate", "--from", chain[0], "--to", chain[2]);
        Assert.Equal(1, missingSchema.ExitCode);
        // One line on stderr that says what to do; no stack trace, no database position, nothing repeated.
        var problem = Assert.Single(missingSchema.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("omem: Cannot open postgres", problem);
        Assert.Contains($"has no OrleansMemory schema. Run `omem db init --storage 'postgres:", problem);
        Assert.Contains($"?schema={_schema}'", problem);
        Assert.DoesNotContain("POSITION", problem);
        Assert.DoesNotContain("   at ", missingSchema.Output);
        for (var run = 0; run < 2; run++)
        {
            var init = await Omem.RunAsync("db", "init", "--storage", chain[2]);
            Assert.True(init.ExitCode == 0, init.Output);
        }

        for (var i = 0; i + 1 < chain.Length; i++)
        {
            var (exitCode, output, _) = await Omem.RunAsync("migrate", "--from", chain[i], "--to", chain[i + 1]);
            Assert.True(exitCode == 0, $"{chain[i]} -> {chain[i + 1]}:\n{output}");
            Assert.Contains("Migration verified", output);
        }

        await using var opened = await CliStore.OpenAsync(chain[^1]);
        var end = opened.Catalog("store");
        foreach (var ((id, state), payload) in expected)
        {
            Assert.Equal(payload, (await end.ReadRecordAsync(id, state))?.Payload);
        }

        Assert.Equal(expected.Count, (await end.GetStatisticsAsync()).RecordCount);
        var again = await Omem.RunAsync("migrate", "--from", chain[0], "--to", chain[^1]);
        Assert.Contains($"already identical  │ {expected.Count}", again.Output);
    }
}

public sealed class CliMigrationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("omem-cli-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_cancelled_migration_resumes_without_duplicates()
    {
        var source = "file:" + Path.Combine(_directory, "src");
        var expected = await CliSeed.SeedAsync(source, grains: 150);
        await using var opened = await CliStorage.OpenAsync(
            [("s", CliStorage.Settings(source, readOnly: true)), ("t", CliStorage.Settings("sqlite:" + Path.Combine(_directory, "t.db"), readOnly: false))], CancellationToken.None);
        var from = opened.Catalog("s");
        var target = opened.Catalog("t");

        using var cancel = new CancellationTokenSource();
        var progress = new Stop(100, cancel);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new StorageMigrator(from, target).RunAsync(null, false, progress, cancel.Token));
        var partial = (await target.GetStatisticsAsync()).RecordCount;
        Assert.InRange(partial, 1, expected.Count - 1);

        var report = await new StorageMigrator(from, target).RunAsync(null, false, null, CancellationToken.None);
        Assert.True(report.Succeeded, string.Join("\n", report.Mismatches));
        Assert.Equal(expected.Count, report.SourceRecords);
        Assert.Equal(expected.Count, report.Copied + report.AlreadyPresent);
        Assert.True(report.AlreadyPresent >= partial - 8, $"{report.AlreadyPresent} of {partial} reused"); // up to one in-flight record per worker
        Assert.Equal(expected.Count, (await target.GetStatisticsAsync()).RecordCount);
        Assert.Equal(report.SourceChecksum, report.TargetChecksum);
    }

    [Fact]
    public async Task Dry_run_writes_nothing_and_a_corrupted_copy_fails_verification()
    {
        var source = "file:" + Path.Combine(_directory, "src");
        var expected = await CliSeed.SeedAsync(source, grains: 5);
        var dry = await Omem.RunAsync("migrate", "--from", source, "--to", "file:" + Path.Combine(_directory, "dry"), "--dry-run");
        Assert.Equal(0, dry.ExitCode);
        Assert.Contains($"{expected.Count} record(s) would be copied", dry.Output);
        Assert.False(Directory.Exists(Path.Combine(_directory, "dry", "conversations")));

        await using var opened = await CliStorage.OpenAsync(
            [("s", CliStorage.Settings(source, readOnly: true)), ("t", CliStorage.Settings("file:" + Path.Combine(_directory, "corrupt"), readOnly: false))], CancellationToken.None);
        var report = await new StorageMigrator(opened.Catalog("s"), new CorruptingCatalog(opened.Catalog("t"))).RunAsync(null, false, null, CancellationToken.None);
        Assert.False(report.Succeeded);
        Assert.NotEqual(report.SourceChecksum, report.TargetChecksum);
        Assert.Equal(expected.Count, report.Mismatches.Count);
    }

    [Fact]
    public async Task Stats_health_inspect_and_backup_commands()
    {
        var db = Path.Combine(_directory, "c.db");
        var expected = await CliSeed.SeedAsync("sqlite:" + db, grains: 3);
        var stats = await Omem.RunAsync("stats", "--storage", "sqlite:" + db);
        Assert.Equal(0, stats.ExitCode);
        Assert.Contains("conversation", stats.Output);
        Assert.Contains($"│ {expected.Count} ", stats.Output.Replace("  ", " ", StringComparison.Ordinal));

        var health = await Omem.RunAsync("health", "-s", "sqlite:" + db);
        Assert.Equal((0, true), (health.ExitCode, health.Output.Contains("healthy", StringComparison.Ordinal)));
        Assert.Equal(1, (await Omem.RunAsync("health", "-s", "redis:127.0.0.1:1?prefix=x")).ExitCode);

        var inspect = await Omem.RunAsync("inspect", "conversation", "c1", "--raw-key", "-s", "sqlite:" + db);
        Assert.Equal(0, inspect.ExitCode);
        Assert.Contains("messages/000001", inspect.Output);
        Assert.Contains("\"text\": \"message page of c1\"", inspect.Output);

        var backup = await Omem.RunAsync("backup", "-s", "sqlite:" + db, "--to", Path.Combine(_directory, "backup.db"));
        Assert.Equal(0, backup.ExitCode);
        await using (var copy = await CliStore.OpenAsync("sqlite:" + Path.Combine(_directory, "backup.db")))
        {
            Assert.Equal(expected.Count, (await copy.Catalog("store").GetStatisticsAsync()).RecordCount);
        }

        var files = "file:" + Path.Combine(_directory, "files");
        await CliSeed.SeedAsync(files, grains: 2);
        Assert.Equal(0, (await Omem.RunAsync("backup", "-s", files, "--to", Path.Combine(_directory, "files-backup"))).ExitCode);
        Assert.True(File.Exists(Path.Combine(_directory, "files-backup", "conversations", "c1", "messages%2F000001.json")));

        Assert.Equal(OmemCli.Usage, (await Omem.RunAsync("migrate", "--from", "nonsense", "--to", "file:" + Path.Combine(_directory, "x"))).ExitCode);
        Assert.Equal(OmemCli.Usage, (await Omem.RunAsync("migrate", "--to", "memory:")).ExitCode);
    }

    private sealed class Stop(int after, CancellationTokenSource cancel) : IProgress<long>
    {
        public void Report(long value)
        {
            if (value >= after)
            {
                cancel.Cancel();
            }
        }
    }
}

/// <summary>Opens one store as omem does (read-write), as the provider "store".</summary>
public static class CliStore
{
    internal static Task<CliStorage> OpenAsync(string uri) => CliStorage.OpenAsync([("store", CliStorage.Settings(uri, readOnly: false))], CancellationToken.None);
}

/// <summary>Seeds a store through its catalog and typed API: several grain types, paged states, odd keys, binary and pretty JSON.</summary>
public static class CliSeed
{
    public static async Task<Dictionary<(GrainId Id, string State), byte[]>> SeedAsync(string uri, int grains)
    {
        await using var opened = await CliStore.OpenAsync(uri);
        var storage = opened.Storage("store");
        var catalog = opened.Catalog("store");
        var expected = new Dictionary<(GrainId, string), byte[]>();
        for (var i = 0; i < grains; i++)
        {
            var id = GrainId.Create("conversation", "c" + i);
            var state = new GrainState<TestState>(new TestState { Text = "conversation " + i, Items = ["x"] });
            await storage.WriteStateAsync("current", id, state);
            expected[(id, "current")] = (await catalog.ReadRecordAsync(id, "current"))!.Payload;
            var page = Encoding.UTF8.GetBytes($"{{\n  \"text\": \"message page of c{i}\"\n}}");
            await catalog.WriteRecordAsync(id, "messages/000001", page, null);
            expected[(id, "messages/000001")] = page;
        }

        foreach (var key in new[] { "a/b", "../../etc", "🙂 agent", new string('k', 300) })
        {
            var id = GrainId.Create("agent", key);
            byte[] payload = [.. Encoding.UTF8.GetBytes("{\"reasoning\":\"" + key.Length + "\"}")];
            await catalog.WriteRecordAsync(id, "reasoning_chains", payload, null);
            expected[(id, "reasoning_chains")] = payload;
        }

        byte[] binary = [0, 1, 2, 254, 255];
        await catalog.WriteRecordAsync(GrainId.Create("cache", "bin"), "entry", binary, null);
        expected[(GrainId.Create("cache", "bin"), "entry")] = binary;
        return expected;
    }
}
