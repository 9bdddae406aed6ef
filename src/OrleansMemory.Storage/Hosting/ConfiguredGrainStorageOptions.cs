using Microsoft.Extensions.Options;
using OrleansMemory.Storage;

namespace OrleansMemory.Configuration;

/// <summary>The settings of a provider registered with <c>AddGrainStorageFromConfiguration</c> (named options).</summary>
public sealed class ConfiguredGrainStorageOptions
{
    /// <summary>The settings read from configuration.</summary>
    public GrainStorageSettings Settings { get; set; } = new();
}

/// <summary>Checks at startup that configured settings name a known backend and suit it, reporting every failure.</summary>
public sealed class ConfiguredGrainStorageOptionsValidator(GrainStorageFactory factory) : IValidateOptions<ConfiguredGrainStorageOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ConfiguredGrainStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = factory.Validate(options.Settings);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures.Select(f => $"Storage '{name}': {f}"));
    }
}
