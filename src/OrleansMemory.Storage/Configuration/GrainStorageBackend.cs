namespace OrleansMemory.Storage;

/// <summary>A <see cref="IGrainStorageBackend"/> made of delegates, for registering a backend in one line.</summary>
/// <param name="type">The type name.</param>
/// <param name="create">Builds the provider from its name, settings and the host's services (null in the CLI).</param>
/// <param name="validate">Lists problems with the settings; none when null.</param>
public sealed class GrainStorageBackend(
    string type,
    Func<string, GrainStorageSettings, IServiceProvider?, IGrainStorage> create,
    Func<GrainStorageSettings, IEnumerable<string>>? validate = null) : IGrainStorageBackend
{
    /// <inheritdoc />
    public string Type { get; } = type;

    /// <inheritdoc />
    public IEnumerable<string> Validate(GrainStorageSettings settings) => validate?.Invoke(settings) ?? [];

    /// <inheritdoc />
    public IGrainStorage Create(string name, GrainStorageSettings settings, IServiceProvider? services) => create(name, settings, services);
}
