namespace OrleansMemory.Storage;

/// <summary>Parses provider URIs as the CLI takes them: <c>file:./storage_data</c>, <c>sqlite:./connectome.db</c>,
/// <c>postgres:Host=...;Username=...</c>, <c>redis:127.0.0.1:6379</c>, <c>memory:</c>, or <c>{type}:{address}</c> for a
/// registered backend. Options may follow the address after <c>?</c>: <c>prefix=</c> (Redis key prefix),
/// <c>schema=</c> (PostgreSQL schema), <c>service=</c> (service id), <c>backups=</c> and <c>pretty=</c> (file),
/// <c>durable=</c> (SQLite: <see cref="GrainStorageSettings.DurableCommits"/>).</summary>
public static class GrainStorageUri
{
    private static readonly string[] OptionNames = ["prefix", "schema", "service", "backups", "pretty", "durable"];

    /// <summary>Parses a URI into settings.</summary>
    /// <exception cref="GrainStorageConfigurationException">The URI has no type or a bad option.</exception>
    public static GrainStorageSettings Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new GrainStorageConfigurationException($"'{uri}' is not a storage URI: expected type:address, for example file:./storage_data or sqlite:./connectome.db.");
        }

        var type = uri[..colon].ToLowerInvariant();
        type = type == "postgresql" ? "postgres" : type;
        var address = uri[(colon + 1)..];
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var question = address.LastIndexOf('?');
        if (question >= 0 && address[(question + 1)..].Split('&').All(p => OptionNames.Any(n => p.StartsWith(n + "=", StringComparison.OrdinalIgnoreCase))))
        {
            foreach (var pair in address[(question + 1)..].Split('&'))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                options[pair[..eq]] = Uri.UnescapeDataString(pair[(eq + 1)..]);
            }

            address = address[..question];
        }

        var source = new Dictionary<string, string>(StringComparer.Ordinal) { ["Type"] = "URI '" + uri + "'" };
        var settings = new GrainStorageSettings { Type = type, Sources = source };
        settings = type switch
        {
            "file" => settings with { BaseDirectory = address.Length == 0 ? settings.BaseDirectory : address },
            "sqlite" => settings with { DbPath = address.Length == 0 ? settings.DbPath : address },
            "memory" => settings,
            _ => settings with { ConnectionString = address },
        };
        foreach (var setting in new[] { "BaseDirectory", "DbPath", "ConnectionString", "KeyPrefix", "Schema", "ServiceId" })
        {
            source[setting] = "URI '" + uri + "'";
        }

        return settings with
        {
            KeyPrefix = options.GetValueOrDefault("prefix", settings.KeyPrefix),
            Schema = options.GetValueOrDefault("schema"),
            ServiceId = options.GetValueOrDefault("service"),
            CreateBackups = Flag(options, "backups", uri, settings.CreateBackups),
            PrettyJson = Flag(options, "pretty", uri, settings.PrettyJson),
            DurableCommits = Flag(options, "durable", uri, settings.DurableCommits),
        };
    }

    private static bool Flag(Dictionary<string, string> options, string name, string uri, bool fallback) =>
        !options.TryGetValue(name, out var value) ? fallback
        : bool.TryParse(value, out var flag) ? flag
        : throw new GrainStorageConfigurationException($"URI '{uri}': {name}='{value}' is not true or false.");
}
