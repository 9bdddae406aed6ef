namespace OrleansMemory.Storage;

/// <summary>A storage type made of two functions: its settings' validation and its registration.</summary>
/// <param name="type">The type name used in configuration; case-insensitive.</param>
/// <param name="validate">Every problem with the settings, each naming the setting.</param>
/// <param name="register">Registers the provider on the silo.</param>
public sealed class GrainStorageBackend(string type, Func<GrainStorageSettings, IEnumerable<string>> validate,
    Action<ISiloBuilder, string, GrainStorageSettings> register) : IGrainStorageBackend
{
    /// <inheritdoc />
    public string Type { get; } = type;

    /// <inheritdoc />
    public IEnumerable<string> Validate(GrainStorageSettings settings) => validate(settings);

    /// <inheritdoc />
    public void Register(ISiloBuilder builder, string name, GrainStorageSettings settings) => register(builder, name, settings);
}
