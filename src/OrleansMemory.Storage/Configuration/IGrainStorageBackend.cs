namespace OrleansMemory.Storage;

/// <summary>A kind of grain storage that <see cref="GrainStorageFactory"/> can build by name. The built-in types are
/// file, sqlite, postgres, redis and memory; a third party registers its own with
/// <c>services.AddGrainStorageBackend(...)</c> or <see cref="GrainStorageFactory.Register"/>.</summary>
public interface IGrainStorageBackend
{
    /// <summary>The type name used in configuration (<c>CONNECTOME_STORAGE_TYPE</c>, <c>OrleansMemory:Storage:Type</c>) and URIs; case-insensitive.</summary>
    string Type { get; }

    /// <summary>Every problem with <paramref name="settings"/> for this backend, each naming the setting (use <see cref="GrainStorageSettings.SourceOf"/>).</summary>
    IEnumerable<string> Validate(GrainStorageSettings settings);

    /// <summary>Builds the provider.</summary>
    /// <param name="name">The provider's registered name.</param>
    /// <param name="settings">Validated settings.</param>
    /// <param name="services">The host's services, when there is a host (the CLI has none).</param>
    IGrainStorage Create(string name, GrainStorageSettings settings, IServiceProvider? services);
}
