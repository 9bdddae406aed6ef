namespace OrleansMemory.Storage;

/// <summary>A stored record's bytes, passed through a provider untouched by <see cref="RawPayloadSerializer"/>: how
/// the catalogs write raw records with the provider's own conditional write (and so its ETag rules).</summary>
internal sealed class RawPayload
{
    /// <summary>The serialized state exactly as stored.</summary>
    public ReadOnlyMemory<byte> Bytes { get; init; }
}
