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
        if (grainId.IsDefault)
        {
            throw new ArgumentException("The grain id is the default value.", nameof(grainId));
        }

        ArgumentNullException.ThrowIfNull(stateName);
    }

    /// <summary>The grain type and key of an id as strings.</summary>
    public static (string Type, string Key) Parts(GrainId grainId) => (grainId.Type.ToString()!, grainId.Key.ToString()!);
}
