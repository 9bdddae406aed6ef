using System.Text;
using Microsoft.Extensions.Configuration;
using OrleansMemory.Hosting;
using OrleansMemory.Storage;

namespace OrleansMemory.Cli;

/// <summary>Providers opened by <c>omem</c> exactly as the silo opens them (same settings, keys, aliases, service id
/// default and schema rules), hosted by a small silo of their own (<see cref="StorageHost"/>).</summary>
internal sealed class CliStorage : IAsyncDisposable
{
    private readonly StorageHost _host;

    private CliStorage(StorageHost host) => _host = host;

    /// <summary>Whether the hosted silo's own log (Orleans, hosting) reaches the console: off unless <c>--verbose</c>,
    /// so that a problem is one line of omem's, not the silo's lifecycle traces.</summary>
    public static bool Verbose { get; set; }

    /// <summary>Settings from a provider URI, or from the environment (<c>CONNECTOME_STORAGE_*</c>,
    /// <c>OrleansMemory__Storage__*</c>) when <paramref name="uri"/> is null. Without a service id, the silo's default
    /// (<see cref="GrainStorageDefaults.ServiceId"/>). Read-only settings never create a directory, file or table.</summary>
    public static GrainStorageSettings Settings(string? uri, bool readOnly)
    {
        var settings = uri is null
            ? GrainStorageConfiguration.Read(new ConfigurationBuilder().AddEnvironmentVariables().Build())
            : GrainStorageUri.Parse(uri);
        return settings with { ServiceId = settings.ServiceId ?? GrainStorageDefaults.ServiceId, CreateIfMissing = !readOnly };
    }

    /// <summary>Starts the providers; an unreachable server, a missing path or an empty database is a
    /// <see cref="StorageUnavailableException"/> naming it.</summary>
    public static async Task<CliStorage> OpenAsync(IReadOnlyList<(string Name, GrainStorageSettings Settings)> providers, CancellationToken cancellationToken)
    {
        try
        {
            return await StartAsync(providers, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageUnavailableException ex)
        {
            // The provider the failure names (Storage 'target': ...), else every one.
            var failed = providers.Where(p => Chain(ex).Any(e => e.Message.Contains($"'{p.Name}'", StringComparison.Ordinal))).ToList() is { Count: > 0 } named
                ? named : [.. providers];
            var where = string.Join(", ", failed.Select(p => Location(p.Settings)));
            var advice = ex.Message == NoSchema
                ? " Run `omem db init --storage " + string.Join(" / ", failed.Select(p => Quote(UriOf(p.Settings)))) + "` first."
                : string.Empty;
            throw new StorageUnavailableException($"Cannot open {where}: {ex.Message}.{advice}", ex.InnerException!);
        }
    }

    private static string Location(GrainStorageSettings settings) => settings.Type switch
    {
        "file" => $"file storage '{Path.GetFullPath(settings.BaseDirectory)}'",
        "sqlite" => string.IsNullOrWhiteSpace(settings.ConnectionString) ? $"SQLite database '{Path.GetFullPath(settings.DbPath)}'" : $"SQLite '{Describe(settings.ConnectionString)}'",
        _ => $"{settings.Type} '{Describe(settings.ConnectionString ?? string.Empty)}'" + (settings.Schema is { } schema ? $" schema '{schema}'" : string.Empty),
    };

    private static async Task<CliStorage> StartAsync(IReadOnlyList<(string Name, GrainStorageSettings Settings)> providers, CancellationToken cancellationToken)
    {
        foreach (var (_, settings) in providers)
        {
            if (settings.Type == "memory")
            {
                throw new GrainStorageConfigurationException("memory storage lives inside one silo; omem cannot open it.");
            }
        }

        try
        {
            return new CliStorage(await StorageHost.StartAsync(silo =>
            {
                silo.AddAdoNetGrainStorageBackends().AddRedisGrainStorageBackend();
                foreach (var (name, settings) in providers)
                {
                    silo.AddGrainStorageFromSettings(name, settings);
                }
            }, minimumLogLevel: Verbose ? Microsoft.Extensions.Logging.LogLevel.Information : Microsoft.Extensions.Logging.LogLevel.None,
                cancellationToken: cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or GrainStorageConfigurationException))
        {
            throw new StorageUnavailableException(Reason(ex), ex);
        }
    }

    public IGrainStorage Storage(string name) => _host.GetStorage(name);

    public IGrainStorageCatalog Catalog(string name) => _host.GetCatalog(name)
        ?? throw new GrainStorageConfigurationException($"Storage '{name}' has no catalog.");

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    /// <summary>A URI (or "the environment") without its password, for output.</summary>
    public static string Describe(string? uri)
    {
        if (uri is null)
        {
            return "storage from the environment";
        }

        var builder = new StringBuilder();
        foreach (var part in uri.Split(';'))
        {
            var secret = part.TrimStart().StartsWith("password=", StringComparison.OrdinalIgnoreCase) || part.TrimStart().StartsWith("pwd=", StringComparison.OrdinalIgnoreCase);
            builder.Append(builder.Length == 0 ? "" : ";").Append(secret ? "Password=***" : part);
        }

        return builder.ToString();
    }

    private const string NoSchema = "the database has no OrleansMemory schema";

    /// <summary>What went wrong, in one line: the innermost cause (a database's own text without its position).</summary>
    private static string Reason(Exception ex)
    {
        if (Chain(ex).Any(e => e.Message.Contains("orleansquery", StringComparison.OrdinalIgnoreCase)))
        {
            return NoSchema;
        }

        var root = Chain(ex).Last();
        var text = root is Npgsql.PostgresException postgres ? postgres.MessageText : root.Message;
        return string.Join(' ', text.Split((char[])['\r', '\n', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.');
    }

    private static IEnumerable<Exception> Chain(Exception ex)
    {
        for (var current = ex; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }

    /// <summary>A provider URI for settings (password hidden), for advice the user can paste.</summary>
    private static string UriOf(GrainStorageSettings s) => s.Type switch
    {
        "file" => "file:" + s.BaseDirectory,
        "sqlite" => "sqlite:" + (string.IsNullOrWhiteSpace(s.ConnectionString) ? s.DbPath : Describe(s.ConnectionString)),
        _ => $"{s.Type}:{Describe(s.ConnectionString ?? string.Empty)}" + (s.Schema is { } schema ? "?schema=" + schema : string.Empty),
    };

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

/// <summary>A provider could not be opened: the message names what is wrong (a path, a server, a missing table).</summary>
public sealed class StorageUnavailableException(string message, Exception inner) : Exception(message, inner);
