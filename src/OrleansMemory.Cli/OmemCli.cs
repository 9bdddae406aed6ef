using System.CommandLine;
using OrleansMemory.Storage;
using Spectre.Console;

namespace OrleansMemory.Cli;

/// <summary>The <c>omem</c> command line: migrate, stats, health, backup, inspect, db init, load. Storage is named by a
/// provider URI (<c>file:./storage_data</c>, <c>sqlite:./connectome.db</c>, <c>postgres:Host=...</c>,
/// <c>redis:127.0.0.1:6379</c>) or, without <c>--storage</c>, by the environment (<c>CONNECTOME_STORAGE_*</c>,
/// <c>OrleansMemory__Storage__*</c>), and opened exactly as the silo opens it.</summary>
public static class OmemCli
{
    /// <summary>Exit code of a successful command.</summary>
    public const int Success = 0;

    /// <summary>Exit code when verification or a health check fails.</summary>
    public const int Failed = 1;

    /// <summary>Exit code for bad arguments or configuration.</summary>
    public const int Usage = 2;

    /// <summary>Parses and runs a command line, writing results to <paramref name="console"/> and each problem as one
    /// line to <paramref name="errors"/> (stderr); returns the exit code. <c>--verbose</c> adds the silo's log and
    /// stack traces.</summary>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, TextWriter errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(errors);
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show the hosted silo's log and stack traces.", Recursive = true };
        var root = new RootCommand("omem: migrate, back up, inspect and check OrleansMemory grain storage.")
        {
            verbose,
            MigrateCommand(console),
            StatsCommand(console),
            HealthCommand(console),
            BackupCommand(console),
            InspectCommand(console),
            DbCommand(console),
            Load.LoadCommand.Create(console),
        };
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await errors.WriteLineAsync($"omem: {error.Message}").ConfigureAwait(false);
            }

            return Usage;
        }

        var showTraces = result.GetValue(verbose);
        CliStorage.Verbose = showTraces;
        try
        {
            return await result.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var (code, message) = ex switch
            {
                GrainStorageConfigurationException => (Usage, ex.Message),
                StorageUnavailableException => (Failed, ex.Message),
                _ => (Failed, $"{ex.GetType().Name}: {ex.Message} (run again with --verbose for details)"),
            };
            await errors.WriteLineAsync("omem: " + message).ConfigureAwait(false);
            if (showTraces)
            {
                await errors.WriteLineAsync(ex.ToString()).ConfigureAwait(false);
            }

            return code;
        }
    }

    private static Option<string?> StorageOption() => new("--storage", "-s")
    {
        Description = "Provider URI: file:DIR, sqlite:FILE, postgres:CONNECTION-STRING, redis:HOST:PORT, with options after '?' "
            + "(service=ID, default orleansmemory as the silo; schema=NAME for PostgreSQL; prefix=P for Redis). "
            + "Default: CONNECTOME_STORAGE_* / OrleansMemory__Storage__* from the environment, as the silo reads them.",
    };

    private static Command MigrateCommand(IAnsiConsole console)
    {
        var from = new Option<string>("--from") { Description = "Source provider URI.", Required = true };
        var to = new Option<string>("--to") { Description = "Target provider URI.", Required = true };
        var grainType = new Option<string?>("--grain-type") { Description = "Copy only this grain type." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Count what would be copied; write nothing." };
        var command = new Command("migrate", "Copy every record from one provider to another; safe to re-run (resumes), verifies counts and checksums.")
        {
            from, to, grainType, dryRun,
        };
        command.SetAction((result, ct) => StorageCommands.MigrateAsync(console, result.GetValue(from)!, result.GetValue(to)!,
            result.GetValue(grainType), result.GetValue(dryRun), ct));
        return command;
    }

    private static Command StatsCommand(IAnsiConsole console)
    {
        var storage = StorageOption();
        var command = new Command("stats", "Record counts and sizes by grain type.") { storage };
        command.SetAction((result, ct) => StorageCommands.StatsAsync(console, result.GetValue(storage), ct));
        return command;
    }

    private static Command HealthCommand(IAnsiConsole console)
    {
        var storage = StorageOption();
        var command = new Command("health", "Prove a real round trip to the storage; exit 1 when it fails.") { storage };
        command.SetAction((result, ct) => StorageCommands.HealthAsync(console, result.GetValue(storage), ct));
        return command;
    }

    private static Command BackupCommand(IAnsiConsole console)
    {
        var storage = StorageOption();
        var to = new Option<string>("--to") { Description = "Where to write the backup: a database file for SQLite (online backup API), a directory otherwise.", Required = true };
        var command = new Command("backup", "Back up the storage: SQLite online backup, a copy of the file tree, or (PostgreSQL, Redis) a file-provider export.") { storage, to };
        command.SetAction((result, ct) => StorageCommands.BackupAsync(console, result.GetValue(storage), result.GetValue(to)!, ct));
        return command;
    }

    private static Command DbCommand(IAnsiConsole console)
    {
        var storage = StorageOption();
        var init = new Command("init", "Apply the schema scripts (deploy/sql) to PostgreSQL or SQLite; safe to run again.") { storage };
        init.SetAction((result, ct) => StorageCommands.DbInitAsync(console, result.GetValue(storage), ct));
        return new Command("db", "Database schema.") { init };
    }

    private static Command InspectCommand(IAnsiConsole console)
    {
        var storage = StorageOption();
        var grainType = new Argument<string>("grain-type") { Description = "The grain type, for example conversation, user, agent." };
        var id = new Argument<string>("id") { Description = "The id as the API user knows it, for example c1 (the tenant is an option)." };
        var tenant = new Option<string>("--tenant", "-t") { Description = "The tenant the id belongs to.", DefaultValueFactory = _ => "default" };
        var rawKey = new Option<bool>("--raw-key") { Description = "Take the id as the whole grain key (no tenant), for grains such as conversationdirectory." };
        var command = new Command("inspect", "Pretty-print every record of one grain.") { grainType, id, storage, tenant, rawKey };
        command.SetAction((result, ct) =>
        {
            var key = result.GetValue(rawKey) ? result.GetValue(id)! : result.GetValue(tenant) + "/" + result.GetValue(id);
            return StorageCommands.InspectAsync(console, result.GetValue(storage), result.GetValue(grainType)!, key, ct);
        });
        return command;
    }
}
