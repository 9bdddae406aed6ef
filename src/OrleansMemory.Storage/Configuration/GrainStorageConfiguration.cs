using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace OrleansMemory.Storage;

/// <summary>Reads <see cref="GrainStorageSettings"/> from standard .NET configuration: the section
/// <c>OrleansMemory:Storage</c> (appsettings.json, <c>OrleansMemory__Storage__Type</c>, command line), then the earlier
/// design's aliases <c>CONNECTOME_STORAGE_*</c>. A key in the section wins over its alias.</summary>
public static class GrainStorageConfiguration
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OrleansMemory:Storage";

    /// <summary>The prefix of the alias variables.</summary>
    public const string AliasPrefix = "CONNECTOME_STORAGE_";

    private static readonly (string Setting, string Alias)[] Keys =
    [
        ("Type", "TYPE"), ("BaseDirectory", "BASE_DIR"), ("DbPath", "DB_PATH"), ("CreateBackups", "CREATE_BACKUPS"),
        ("PrettyJson", "PRETTY_JSON"), ("WalMode", "WAL_MODE"), ("Timeout", "TIMEOUT"), ("MaxBackups", "MAX_BACKUPS"),
        ("ConnectionString", "CONNECTION_STRING"), ("KeyPrefix", "KEY_PREFIX"), ("ServiceId", "SERVICE_ID"), ("Schema", "SCHEMA"),
        ("CreateSchema", "CREATE_SCHEMA"), ("DurableCommits", "DURABLE_COMMITS"),
    ];

    /// <summary>The settings of the section (<c>Type</c>, <c>BaseDirectory</c>, ...), each with its alias variable.</summary>
    public static IReadOnlyList<string> SettingNames { get; } = [.. Keys.Select(k => k.Setting)];

    /// <summary>Each alias variable (<c>CONNECTOME_STORAGE_TYPE</c>, ...) and the setting of the section it stands for
    /// (<c>Type</c>, ...).</summary>
    public static IReadOnlyDictionary<string, string> AliasVariables { get; } =
        Keys.ToDictionary(k => AliasPrefix + k.Alias, k => k.Setting, StringComparer.Ordinal);

    /// <summary>Reads the settings.</summary>
    /// <exception cref="GrainStorageConfigurationException">A value is invalid; the message names every such setting.</exception>
    public static GrainStorageSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var values = new Dictionary<string, (string Value, string Source)>(StringComparer.Ordinal);
        foreach (var (setting, alias) in Keys)
        {
            if (section[setting] is { Length: > 0 } value)
            {
                values[setting] = (value.Trim(), SectionName + ":" + setting);
            }
            else if (configuration[AliasPrefix + alias] is { Length: > 0 } aliased)
            {
                values[setting] = (aliased.Trim(), AliasPrefix + alias);
            }
        }

        var errors = new List<string>();
        var defaults = new GrainStorageSettings();
        var settings = defaults with
        {
            Type = Text("Type", defaults.Type).ToLowerInvariant(),
            BaseDirectory = Text("BaseDirectory", defaults.BaseDirectory),
            DbPath = Text("DbPath", defaults.DbPath),
            CreateBackups = Flag("CreateBackups", defaults.CreateBackups),
            PrettyJson = Flag("PrettyJson", defaults.PrettyJson),
            WalMode = Flag("WalMode", defaults.WalMode),
            DurableCommits = Flag("DurableCommits", defaults.DurableCommits),
            Timeout = Seconds("Timeout", defaults.Timeout),
            MaxBackups = Count("MaxBackups", defaults.MaxBackups),
            ConnectionString = values.TryGetValue("ConnectionString", out var c) ? c.Value : null,
            KeyPrefix = Text("KeyPrefix", defaults.KeyPrefix),
            ServiceId = values.TryGetValue("ServiceId", out var serviceId) ? serviceId.Value : null,
            CreateSchema = values.ContainsKey("CreateSchema") ? Flag("CreateSchema", false) : null,
            Schema = values.TryGetValue("Schema", out var schema) ? schema.Value : null,
            Sources = values.ToDictionary(p => p.Key, p => p.Value.Source, StringComparer.Ordinal),
        };
        return errors.Count == 0 ? settings : throw new GrainStorageConfigurationException("Invalid storage configuration: " + string.Join(" ", errors));

        string Text(string setting, string fallback) => values.TryGetValue(setting, out var v) ? v.Value : fallback;

        bool Flag(string setting, bool fallback)
        {
            if (!values.TryGetValue(setting, out var v))
            {
                return fallback;
            }

            switch (v.Value.ToLowerInvariant())
            {
                case "true" or "1" or "yes" or "on":
                    return true;
                case "false" or "0" or "no" or "off":
                    return false;
                default:
                    errors.Add($"{v.Source}='{v.Value}' is not a boolean (true/false, 1/0, yes/no, on/off).");
                    return fallback;
            }
        }

        TimeSpan Seconds(string setting, TimeSpan fallback)
        {
            if (!values.TryGetValue(setting, out var v))
            {
                return fallback;
            }

            if (double.TryParse(v.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= 3600)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            errors.Add($"{v.Source}='{v.Value}' is not a number of seconds between 0 and 3600 (for example 30.0).");
            return fallback;
        }

        int Count(string setting, int fallback)
        {
            if (!values.TryGetValue(setting, out var v))
            {
                return fallback;
            }

            if (int.TryParse(v.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1)
            {
                return count;
            }

            errors.Add($"{v.Source}='{v.Value}' is not a whole number of at least 1.");
            return fallback;
        }
    }
}
