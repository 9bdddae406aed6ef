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
            var where = string.Join(", ", providers.Select(p => Location(p.Settings)));
            throw new StorageUnavailableException($"Cannot open {where}: {ex.Message}", ex.InnerException!);
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
            }, cancellationToken: cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or GrainStorageConfigurationException))
        {
            var message = Messages(ex);
            if (message.Contains("orleansquery", StringComparison.OrdinalIgnoreCase) && !message.Contains("omem db init", StringComparison.Ordinal))
            {
                message += " The database has no OrleansMemory schema: run `omem db init` against it first.";
            }

            throw new StorageUnavailableException(message, ex);
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

    private static string Messages(Exception ex)
    {
        var messages = new List<string>();
        for (var current = ex; current is not null; current = current.InnerException)
        {
            if (!messages.Contains(current.Message, StringComparer.Ordinal))
            {
                messages.Add(current.Message);
            }
        }

        return string.Join(" ", messages);
    }
}

/// <summary>A provider could not be opened: the message names what is wrong (a path, a server, a missing table).</summary>
public sealed class StorageUnavailableException(string message, Exception inner) : Exception(message, inner);
