using System.Text.Json;
using Microsoft.Data.Sqlite;
using OrleansMemory.Hosting;
using OrleansMemory.Storage;
using Spectre.Console;

namespace OrleansMemory.Cli;

/// <summary>The actions behind the <c>omem</c> commands.</summary>
public static class StorageCommands
{
    /// <summary>Copies records between providers and prints the verification.</summary>
    public static async Task<int> MigrateAsync(IAnsiConsole console, string from, string to, string? grainType, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        await using var sourceStorage = await CliStorage.OpenAsync([("source", CliStorage.Settings(from, readOnly: true))], cancellationToken).ConfigureAwait(false);
        var source = sourceStorage.Catalog("source");
        CliStorage? targetStorage = null;
        IGrainStorageCatalog target;
        try
        {
            targetStorage = await CliStorage.OpenAsync([("target", CliStorage.Settings(to, readOnly: dryRun))], cancellationToken).ConfigureAwait(false);
            target = targetStorage.Catalog("target");
        }
        catch (StorageUnavailableException ex) when (dryRun)
        {
            console.MarkupLineInterpolated($"[yellow]The target cannot be opened read-only ({ex.Message}); counting it as empty.[/]");
            target = EmptyCatalog.Instance;
        }

        await using var _ = targetStorage;
        var statistics = await source.GetStatisticsAsync(cancellationToken).ConfigureAwait(false);
        var total = grainType is null ? statistics.RecordCount : statistics.GrainTypes.Where(t => t.GrainType == grainType).Sum(t => t.RecordCount);
        var migrator = new StorageMigrator(source, target);
        var report = await MigrationProgress.RunAsync(console, dryRun ? "Checking (dry run)" : "Copying", total,
            progress => migrator.RunAsync(grainType, dryRun, progress, cancellationToken)).ConfigureAwait(false);

        var table = new Table().AddColumns("", "records");
        table.AddRow("source records", report.SourceRecords.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow(dryRun ? "would copy" : "copied", report.Copied.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("already identical", report.AlreadyPresent.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("verified in target", report.VerifiedRecords.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        console.Write(table);
        console.WriteLine($"source checksum {report.SourceChecksum}");
        console.WriteLine($"target checksum {report.TargetChecksum}");
        if (dryRun)
        {
            console.MarkupLineInterpolated($"[yellow]Dry run: nothing written; {report.Copied} record(s) would be copied.[/]");
            return OmemCli.Success;
        }

        foreach (var mismatch in report.Mismatches)
        {
            console.MarkupLineInterpolated($"[red]mismatch: {mismatch}[/]");
        }

        console.MarkupLine(report.Succeeded ? "[green]Migration verified: counts and checksums match.[/]" : "[red]Migration NOT verified.[/]");
        return report.Succeeded ? OmemCli.Success : OmemCli.Failed;
    }

    /// <summary>Applies the schema scripts to the PostgreSQL or SQLite storage (idempotent).</summary>
    public static async Task<int> DbInitAsync(IAnsiConsole console, string? uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        var settings = CliStorage.Settings(uri, readOnly: false);
        switch (settings.Type)
        {
            case "sqlite":
                await AdoNetSchema.ApplySqliteAsync(AdoNetGrainStorageBackends.SqliteConnectionString(settings), settings.WalMode, cancellationToken).ConfigureAwait(false);
                console.MarkupLineInterpolated($"[green]SQLite schema applied ({string.Join(", ", AdoNetSchema.SqliteScripts)}) to {CliStorage.Describe(uri)}.[/]");
                return OmemCli.Success;
            case "postgres":
                var options = new RelationalGrainStorageOptions { ConnectionString = AdoNetGrainStorageBackends.PostgresConnectionString(settings), Schema = settings.Schema };
                await AdoNetSchema.ApplyPostgreSqlAsync(options.EffectiveConnectionString, cancellationToken).ConfigureAwait(false);
                console.MarkupLineInterpolated($"[green]PostgreSQL schema applied ({string.Join(", ", AdoNetSchema.PostgreSqlScripts)}) to {CliStorage.Describe(uri)}.[/]");
                return OmemCli.Success;
            default:
                console.MarkupLineInterpolated($"[red]{settings.Type} storage has no schema: db init applies to sqlite and postgres.[/]");
                return OmemCli.Usage;
        }
    }

    /// <summary>Prints record counts and sizes by grain type.</summary>
    public static async Task<int> StatsAsync(IAnsiConsole console, string? uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        await using var storage = await CliStorage.OpenAsync([("storage", CliStorage.Settings(uri, readOnly: true))], cancellationToken).ConfigureAwait(false);
        var statistics = await storage.Catalog("storage").GetStatisticsAsync(cancellationToken).ConfigureAwait(false);
        var table = new Table().Title(Markup.Escape(CliStorage.Describe(uri))).AddColumns("grain type", "grains", "records", "bytes");
        foreach (var type in statistics.GrainTypes)
        {
            table.AddRow(Markup.Escape(type.GrainType), Number(type.GrainCount), Number(type.RecordCount), Number(type.PayloadBytes));
        }

        table.AddRow("[bold]total[/]", Number(statistics.GrainTypes.Sum(t => t.GrainCount)), Number(statistics.RecordCount), Number(statistics.PayloadBytes));
        console.Write(table);
        return OmemCli.Success;
    }

    /// <summary>Runs a round trip against the storage.</summary>
    public static async Task<int> HealthAsync(IAnsiConsole console, string? uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        try
        {
            await using var storage = await CliStorage.OpenAsync([("storage", CliStorage.Settings(uri, readOnly: true))], cancellationToken).ConfigureAwait(false);
            var description = await GrainStorageProbe.ProbeAsync(storage.Storage("storage"), cancellationToken).ConfigureAwait(false);
            console.MarkupLineInterpolated($"[green]healthy[/] {CliStorage.Describe(uri)}: {description}");
            return OmemCli.Success;
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or GrainStorageConfigurationException))
        {
            console.MarkupLineInterpolated($"[red]unhealthy[/]: {ex.Message}");
            return OmemCli.Failed;
        }
    }

    /// <summary>Backs up the storage to <paramref name="destination"/>.</summary>
    public static async Task<int> BackupAsync(IAnsiConsole console, string? uri, string destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        var settings = CliStorage.Settings(uri, readOnly: true);
        switch (settings.Type)
        {
            case "sqlite":
                using (var source = new SqliteConnection(AdoNetGrainStorageBackends.SqliteConnectionString(settings)))
                using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Pooling = false }.ToString()))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
                    await source.OpenAsync(cancellationToken).ConfigureAwait(false);
                    await target.OpenAsync(cancellationToken).ConfigureAwait(false);
                    source.BackupDatabase(target);
                }

                console.MarkupLineInterpolated($"[green]SQLite online backup written to {destination}[/]");
                return OmemCli.Success;
            case "file":
                var copied = CopyTree(Path.GetFullPath(settings.BaseDirectory), Path.GetFullPath(destination), cancellationToken);
                console.MarkupLineInterpolated($"[green]Copied {copied} file(s) to {destination}[/]");
                return OmemCli.Success;
            default:
                console.MarkupLineInterpolated($"[yellow]{settings.Type}: exporting every record to file storage at {destination}[/]");
                return await MigrateAsync(console, uri ?? throw new GrainStorageConfigurationException("backup of configured non-file storage needs --storage"),
                    "file:" + destination + "?backups=false", null, dryRun: false, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Prints every record of one grain.</summary>
    public static async Task<int> InspectAsync(IAnsiConsole console, string? uri, string grainType, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        await using var storage = await CliStorage.OpenAsync([("storage", CliStorage.Settings(uri, readOnly: true))], cancellationToken).ConfigureAwait(false);
        var catalog = storage.Catalog("storage");
        var id = GrainId.Create(grainType, key);
        var states = await catalog.ListStateNamesAsync(id, cancellationToken).ConfigureAwait(false);
        if (states.Count == 0)
        {
            console.MarkupLineInterpolated($"[yellow]No records for {id} in {CliStorage.Describe(uri)}.[/]");
            return OmemCli.Failed;
        }

        foreach (var state in states)
        {
            var record = await catalog.ReadRecordAsync(id, state, cancellationToken).ConfigureAwait(false);
            if (record is null)
            {
                continue;
            }

            console.Write(new Rule($"[bold]{Markup.Escape(state)}[/]  etag {Markup.Escape(record.ETag)}  {record.ModifiedAt:u}  {record.Payload.Length} bytes").LeftJustified());
            console.WriteLine(Pretty(record.Payload));
        }

        return OmemCli.Success;
    }

    private static readonly JsonSerializerOptions IndentedJson = MemoryStateJson.CreateOptions(writeIndented: true);

    private static string Pretty(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return JsonSerializer.Serialize(document.RootElement, IndentedJson);
        }
        catch (JsonException)
        {
            return "(not JSON) base64: " + Convert.ToBase64String(payload.AsSpan(0, Math.Min(payload.Length, 4096)));
        }
    }

    private static int CopyTree(string source, string destination, CancellationToken cancellationToken)
    {
        if (destination.StartsWith(source + Path.DirectorySeparatorChar, StringComparison.Ordinal) || destination == source)
        {
            throw new GrainStorageConfigurationException($"The backup directory '{destination}' must not be inside the storage directory '{source}'.");
        }

        var count = 0;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
            count++;
        }

        return count;
    }

    private static string Number(long value) => value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}
