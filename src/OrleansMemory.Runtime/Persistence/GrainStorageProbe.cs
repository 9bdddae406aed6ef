namespace OrleansMemory.Storage;

/// <summary>Proves that a provider works with a real round trip: the provider's own <see cref="IGrainStorageProbe"/>,
/// or for other catalogs a record written, read back and deleted under the grain type <c>__health</c>.</summary>
public static class GrainStorageProbe
{
    /// <summary>Runs the round trip and describes the result; throws when it fails.</summary>
    public static async Task<string> ProbeAsync(IGrainStorage storage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        switch (storage)
        {
            case IGrainStorageProbe probe:
                return await probe.ProbeAsync(cancellationToken).ConfigureAwait(false);
            case IGrainStorageCatalog catalog:
                var id = new GrainId("__health", Guid.NewGuid().ToString("N"));
                byte[] payload = [.. "{\"probe\":true}"u8];
                try
                {
                    await catalog.WriteRecordAsync(id, "probe", payload, null, cancellationToken).ConfigureAwait(false);
                    var read = await catalog.ReadRecordAsync(id, "probe", cancellationToken).ConfigureAwait(false);
                    return read is not null && read.Payload.AsSpan().SequenceEqual(payload)
                        ? $"{storage.GetType().Name} round trip ok"
                        : throw new InvalidOperationException("The probe record could not be read back.");
                }
                finally
                {
                    await catalog.DeleteGrainAsync(id, CancellationToken.None).ConfigureAwait(false);
                }

            default:
                throw new NotSupportedException($"{storage.GetType().Name} implements neither a probe nor {nameof(IGrainStorageCatalog)}.");
        }
    }
}
