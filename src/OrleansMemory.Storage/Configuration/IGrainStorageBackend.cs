namespace OrleansMemory.Storage;

/// <summary>A kind of grain storage that <c>AddGrainStorageFromConfiguration</c> can register by name. The built-in
/// types are file, sqlite, postgres, redis and memory (<see cref="BuiltInGrainStorageBackends"/>); a third party adds
/// its own with <c>AddGrainStorageBackend</c> before calling <c>AddGrainStorageFromConfiguration</c>.</summary>
public interface IGrainStorageBackend
{
    /// <summary>The type name used in configuration (<c>CONNECTOME_STORAGE_TYPE</c>, <c>OrleansMemory:Storage:Type</c>) and URIs; case-insensitive.</summary>
    string Type { get; }

    /// <summary>Every problem with <paramref name="settings"/> for this backend, each naming the setting (use <see cref="GrainStorageSettings.SourceOf"/>).</summary>
    IEnumerable<string> Validate(GrainStorageSettings settings);

    /// <summary>Registers the provider <paramref name="name"/> (a keyed <see cref="IGrainStorage"/>, and a keyed
    /// <see cref="IGrainStorageCatalog"/> when the backend has one) on the silo.</summary>
    void Register(ISiloBuilder builder, string name, GrainStorageSettings settings);
}
