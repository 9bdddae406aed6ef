namespace OrleansMemory.Storage;

/// <summary>Record counts and payload sizes of a provider.</summary>
/// <param name="GrainTypes">One entry per grain type with records, in ordinal order of the type.</param>
public sealed record StorageStatistics(IReadOnlyList<GrainTypeStatistics> GrainTypes)
{
    /// <summary>Records in all grain types.</summary>
    public long RecordCount => GrainTypes.Sum(t => t.RecordCount);

    /// <summary>Payload bytes in all grain types.</summary>
    public long PayloadBytes => GrainTypes.Sum(t => t.PayloadBytes);

    /// <summary>Builds statistics from per-type counters, sorted by type.</summary>
    public static StorageStatistics From(IEnumerable<GrainTypeStatistics> types) =>
        new([.. types.OrderBy(t => t.GrainType, StringComparer.Ordinal)]);
}

/// <summary>Records of one grain type.</summary>
/// <param name="GrainType">The grain type.</param>
/// <param name="GrainCount">Grains with at least one record.</param>
/// <param name="RecordCount">State records.</param>
/// <param name="PayloadBytes">Total payload bytes.</param>
public sealed record GrainTypeStatistics(string GrainType, long GrainCount, long RecordCount, long PayloadBytes);
