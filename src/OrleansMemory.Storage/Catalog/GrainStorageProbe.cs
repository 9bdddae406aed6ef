namespace OrleansMemory.Storage;

/// <summary>Proves that a provider works with a real round trip through <see cref="IGrainStorage"/>: a small state
/// written under the grain type <c>__health</c>, read back and cleared.</summary>
public static class GrainStorageProbe
{
    /// <summary>The grain type the probe writes under.</summary>
    public const string GrainType = "__health";

    /// <summary>Runs the round trip and describes the result; throws when it fails.</summary>
    public static async Task<string> ProbeAsync(IGrainStorage storage, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var id = GrainId.Create(GrainType, Guid.NewGuid().ToString("N"));
        var token = Guid.NewGuid().ToString("N");
        var written = new GrainState<ProbeState>(new ProbeState { Token = token });
        await storage.WriteStateAsync("probe", id, written, cancellationToken).ConfigureAwait(false);
        try
        {
            var read = new GrainState<ProbeState>();
            await storage.ReadStateAsync("probe", id, read, cancellationToken).ConfigureAwait(false);
            return read.RecordExists && read.State?.Token == token
                ? $"{storage.GetType().Name} round trip ok"
                : throw new InvalidOperationException("The probe record could not be read back.");
        }
        finally
        {
            await storage.ClearStateAsync("probe", id, written, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The state the probe writes.</summary>
    public sealed class ProbeState
    {
        /// <summary>A random value that must come back.</summary>
        public string Token { get; set; } = string.Empty;
    }
}
