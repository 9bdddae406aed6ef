namespace OrleansMemory.Storage;

/// <summary>One stored record as bytes, as <see cref="IGrainStorageCatalog.ReadRecordAsync"/> returns it.</summary>
/// <param name="GrainId">The grain.</param>
/// <param name="StateName">The state name.</param>
/// <param name="Payload">The stored bytes (the serialized state).</param>
/// <param name="ETag">The record's ETag.</param>
/// <param name="ModifiedAt">When the record was last written.</param>
public sealed record StorageRecord(GrainId GrainId, string StateName, byte[] Payload, string ETag, DateTimeOffset ModifiedAt);
