using OrleansMemory.Storage;

namespace OrleansMemory.Silo.Configuration;

/// <summary>The earlier design's <c>CONNECTOME_STORAGE_*</c> environment variables, mapped onto
/// <c>OrleansMemory:Storage:*</c> (the default storage provider).</summary>
public static class ConnectomeAliases
{
    /// <summary>Alias variable to configuration key: the storage package's aliases onto the default provider
    /// (<c>OrleansMemory:Storage:*</c>), except <c>CONNECTOME_STORAGE_SERVICE_ID</c>, which is the silo's
    /// <c>OrleansMemory:ServiceId</c> (Orleans keys stored state by the service id).</summary>
    public static readonly IReadOnlyDictionary<string, string> Map = GrainStorageConfiguration.AliasVariables.ToDictionary(
        p => p.Key,
        p => p.Value == "ServiceId" ? SiloOptions.SectionName + ":ServiceId" : GrainStorageConfiguration.SectionName + ":" + p.Value,
        StringComparer.Ordinal);

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
