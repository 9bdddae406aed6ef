namespace OrleansMemory.Storage;

/// <summary>Argument checks shared by the catalog implementations.</summary>
public static class CatalogArguments
{
    /// <summary>The largest page a catalog returns.</summary>
    public const int MaxPageSize = 10_000;

    /// <summary>Validates a grain type and a page size.</summary>
    public static void ValidatePage(string grainType, int pageSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(grainType);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
    }

    /// <summary>Validates a grain id and a state name.</summary>
    public static void ValidateRecord(GrainId grainId, string stateName)
    {
        ArgumentException.ThrowIfNullOrEmpty(grainId.Type);
        ArgumentNullException.ThrowIfNull(grainId.Key);
        ArgumentNullException.ThrowIfNull(stateName);
    }
}
