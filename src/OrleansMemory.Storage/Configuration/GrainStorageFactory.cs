using Microsoft.Extensions.Configuration;

namespace OrleansMemory.Storage;

/// <summary>Builds grain storage providers by backend type name from <see cref="GrainStorageSettings"/>, configuration
/// or a provider URI. Knows the built-in backends plus any registered.</summary>
public sealed class GrainStorageFactory
{
    private readonly Dictionary<string, IGrainStorageBackend> _backends = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a factory with the built-in backends and <paramref name="backends"/> (which may replace a built-in one).</summary>
    public GrainStorageFactory(IEnumerable<IGrainStorageBackend>? backends = null)
    {
        foreach (var backend in BuiltInGrainStorageBackends.All.Concat(backends ?? []))
        {
            Register(backend);
        }
    }

    /// <summary>The known type names.</summary>
    public IReadOnlyCollection<string> Types => _backends.Keys;

    /// <summary>Adds (or replaces) a backend.</summary>
    public void Register(IGrainStorageBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentException.ThrowIfNullOrWhiteSpace(backend.Type);
        _backends[backend.Type] = backend;
    }

    /// <summary>Every problem with <paramref name="settings"/>, each naming the setting; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate(GrainStorageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return _backends.TryGetValue(settings.Type, out var backend)
            ? [.. backend.Validate(settings)]
            : [$"{settings.SourceOf("Type")}='{settings.Type}' is not a storage type (known: {string.Join(", ", _backends.Keys.Order(StringComparer.Ordinal))})."];
    }

    /// <summary>Builds a provider.</summary>
    /// <exception cref="GrainStorageConfigurationException">The settings are invalid; the message names every offending setting.</exception>
    public IGrainStorage Create(string name, GrainStorageSettings settings, IServiceProvider? services = null)
    {
        var errors = Validate(settings);
        return errors.Count > 0
            ? throw new GrainStorageConfigurationException($"Invalid configuration of storage '{name}': " + string.Join(" ", errors))
            : _backends[settings.Type].Create(name, settings, services);
    }

    /// <summary>Builds a provider from configuration (<see cref="GrainStorageConfiguration"/>).</summary>
    public IGrainStorage Create(string name, IConfiguration configuration, IServiceProvider? services = null) =>
        Create(name, GrainStorageConfiguration.Read(configuration), services);

    /// <summary>Builds a provider from a URI (<see cref="GrainStorageUri"/>).</summary>
    public IGrainStorage Create(string name, string uri) => Create(name, GrainStorageUri.Parse(uri));
}
