using System.Globalization;

namespace OrleansMemory;

/// <summary>Key accessors for grains and grain references.</summary>
public static class GrainExtensions
{
    /// <summary>The grain's string key.</summary>
    public static string GetPrimaryKeyString(this IAddressable grain)
    {
        ArgumentNullException.ThrowIfNull(grain);
        return grain.GrainId.Key;
    }

    /// <summary>The grain's GUID key.</summary>
    /// <exception cref="InvalidOperationException">The key is not a GUID.</exception>
    public static Guid GetPrimaryKey(this IAddressable grain)
    {
        ArgumentNullException.ThrowIfNull(grain);
        var key = grain.GrainId.Key;
        return Guid.TryParse(key, out var guid)
            ? guid
            : throw new InvalidOperationException($"The key of grain {grain.GrainId} is not a GUID.");
    }

    /// <summary>The grain's integer key.</summary>
    /// <exception cref="InvalidOperationException">The key is not an integer.</exception>
    public static long GetPrimaryKeyLong(this IAddressable grain)
    {
        ArgumentNullException.ThrowIfNull(grain);
        var key = grain.GrainId.Key;
        return long.TryParse(key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidOperationException($"The key of grain {grain.GrainId} is not an integer.");
    }
}
