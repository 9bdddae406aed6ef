using Microsoft.Extensions.Options;
using OrleansMemory.Storage;

namespace OrleansMemory.Hosting;

/// <summary>The settings of a provider registered with <c>AddGrainStorageFromConfiguration</c> (named options).</summary>
public sealed class ConfiguredGrainStorageOptions
{
    /// <summary>The settings read from configuration.</summary>
    public GrainStorageSettings Settings { get; set; } = new();

    /// <summary>The backend that registered the provider; null when the type is unknown.</summary>
    public IGrainStorageBackend? Backend { get; set; }

    /// <summary>The known type names, for the error message.</summary>
    public IReadOnlyList<string> KnownTypes { get; set; } = [];
}

/// <summary>Checks at startup that configured settings name a known backend and suit it, reporting every failure
/// (each naming the setting or alias the operator wrote).</summary>
public sealed class ConfiguredGrainStorageOptionsValidator : IValidateOptions<ConfiguredGrainStorageOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ConfiguredGrainStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var s = options.Settings;
        var failures = options.Backend is null
            ? [$"{s.SourceOf("Type")}='{s.Type}' is not a storage type (known: {string.Join(", ", options.KnownTypes)})."]
            : options.Backend.Validate(s).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures.Select(f => $"Storage '{name}': {f}"));
    }
}
