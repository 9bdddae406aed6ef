namespace OrleansMemory.Configuration;

/// <summary>When idle activations are collected.</summary>
public sealed class GrainCollectionOptions
{
    /// <summary>An activation that received no call for this long is deactivated.</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the collector looks for idle activations.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one activation's <c>OnDeactivateAsync</c> may run before its token is cancelled.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
