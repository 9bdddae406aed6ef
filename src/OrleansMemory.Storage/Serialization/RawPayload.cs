namespace OrleansMemory.Storage;

/// <summary>A stored record's bytes, passed through a provider untouched by <see cref="RawPayloadSerializer"/>: how
/// the catalogs write raw records with the provider's own conditional write (and so its ETag rules).</summary>
internal sealed class RawPayload
{
    /// <summary>The serialized state exactly as stored.</summary>
    public ReadOnlyMemory<byte> Bytes { get; init; }

    /// <summary>Writes <paramref name="payload"/> as the record through <paramref name="storage"/>'s own conditional write
    /// (<paramref name="expectedETag"/> null: only if no record exists) and returns the new ETag.</summary>
    public static async Task<string> WriteAsync(IGrainStorage storage, GrainId grainId, string stateName, ReadOnlyMemory<byte> payload,
        string? expectedETag, CancellationToken cancellationToken)
    {
        var state = new GrainState<RawPayload>(new RawPayload { Bytes = payload }, expectedETag) { RecordExists = expectedETag is not null };
        await storage.WriteStateAsync(stateName, grainId, state, cancellationToken).ConfigureAwait(false);
        return state.ETag!;
    }
}
