namespace OrleansMemory.Storage;

/// <summary><see cref="IGrainStorage"/> reads and writes expressed through a provider's raw record operations, for
/// providers whose catalog already does the conditional write (the database and Redis providers).</summary>
public static class CatalogGrainState
{
    /// <summary>Reads a record and deserializes it into <paramref name="grainState"/> (an absent record reads as default).</summary>
    public static async Task ReadAsync<T>(IGrainStorageCatalog catalog, IGrainStorageSerializer serializer, string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(grainState);
        var record = await catalog.ReadRecordAsync(grainId, stateName).ConfigureAwait(false);
        try
        {
            grainState.State = record is null ? GrainStateFactory.CreateDefault<T>() : serializer.Deserialize<T>(record.Payload);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw GrainStorageException.For(catalog.Name, "read", grainId, stateName, ex);
        }

        grainState.ETag = record?.ETag;
        grainState.RecordExists = record is not null;
    }

    /// <summary>Serializes and writes the state if the stored ETag still matches, then takes the new ETag.</summary>
    public static async Task WriteAsync<T>(IGrainStorageCatalog catalog, IGrainStorageSerializer serializer, string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(grainState);
        grainState.ETag = await catalog.WriteRecordAsync(grainId, stateName, serializer.Serialize(grainState.State), grainState.ETag).ConfigureAwait(false);
        grainState.RecordExists = true;
    }
}
