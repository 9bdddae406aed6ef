namespace OrleansMemory.Silo.Configuration;

/// <summary>The earlier design's <c>CONNECTOME_STORAGE_*</c> environment variables, mapped onto
/// <c>OrleansMemory:Storage:*</c> (the default storage provider).</summary>
public static class ConnectomeAliases
{
    /// <summary>Alias variable to configuration key.</summary>
    public static readonly IReadOnlyDictionary<string, string> Map = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CONNECTOME_STORAGE_TYPE"] = "OrleansMemory:Storage:Type",
        ["CONNECTOME_STORAGE_BASE_DIR"] = "OrleansMemory:Storage:BaseDirectory",
        ["CONNECTOME_STORAGE_DB_PATH"] = "OrleansMemory:Storage:DbPath",
        ["CONNECTOME_STORAGE_CREATE_BACKUPS"] = "OrleansMemory:Storage:CreateBackups",
        ["CONNECTOME_STORAGE_PRETTY_JSON"] = "OrleansMemory:Storage:PrettyJson",
        ["CONNECTOME_STORAGE_WAL_MODE"] = "OrleansMemory:Storage:WalMode",
        ["CONNECTOME_STORAGE_TIMEOUT"] = "OrleansMemory:Storage:Timeout",
        ["CONNECTOME_STORAGE_MAX_BACKUPS"] = "OrleansMemory:Storage:MaxBackups",
        ["CONNECTOME_STORAGE_CONNECTION_STRING"] = "OrleansMemory:Storage:ConnectionString",
    };

    /// <summary>The configuration entries for the alias variables that are set in <paramref name="environment"/>.</summary>
    public static Dictionary<string, string?> FromEnvironment(System.Collections.IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (variable, key) in Map)
        {
            if (environment[variable] is string value)
            {
                result[key] = value;
            }
        }

        return result;
    }
}
