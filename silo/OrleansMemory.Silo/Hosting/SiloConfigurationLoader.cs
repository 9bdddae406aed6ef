using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;
using OrleansMemory.Abstractions;
using OrleansMemory.Embeddings;
using OrleansMemory.Grains;
using OrleansMemory.Silo.Auth;
using OrleansMemory.Silo.Configuration;

namespace OrleansMemory.Silo.Hosting;

/// <summary>Completes the configuration sources (appsettings.json beside the executable, <c>CONNECTOME_STORAGE_*</c>
/// aliases) and reads <see cref="SiloOptions"/>, reporting every problem at once.</summary>
public static class SiloConfigurationLoader
{
    /// <summary>Adds the sources the default builder lacks (<paramref name="variables"/>: the environment variables to read
    /// aliases from; default: the process's): appsettings.json from the executable's directory when the
    /// content root has none (<c>dotnet run --project</c> from the repository root), the file named by
    /// <c>--config</c>, and the alias variables,
    /// which override appsettings.json and <c>OrleansMemory__*</c> variables but not the command line.</summary>
    public static void AddSources(IConfigurationManager configuration, IHostEnvironment environment, System.Collections.IDictionary? variables = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var sources = configuration.Sources;
        var beside = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        if (!File.Exists(Path.Combine(environment.ContentRootPath, "appsettings.json")) && File.Exists(beside))
        {
            var index = sources.ToList().FindIndex(s => s is JsonConfigurationSource);
            var source = new JsonConfigurationSource { Path = beside, Optional = true, ReloadOnChange = false };
            source.ResolveFileProvider();
            sources.Insert(index < 0 ? 0 : index, source);
        }

        if (configuration["config"] is { Length: > 0 } file)
        {
            // --config deploy/config/x.json: after appsettings*.json, before environment variables and the command line.
            var index = sources.ToList().FindLastIndex(s => s is JsonConfigurationSource);
            var source = new JsonConfigurationSource { Path = Path.GetFullPath(file), Optional = false, ReloadOnChange = false };
            source.ResolveFileProvider();
            sources.Insert(index + 1, source);
        }

        var aliases = ConnectomeAliases.FromEnvironment(variables ?? Environment.GetEnvironmentVariables());
        if (aliases.Count > 0)
        {
            var commandLine = sources.ToList().FindLastIndex(s => s is CommandLineConfigurationSource);
            var aliasSource = new MemoryConfigurationSource { InitialData = aliases };
            sources.Insert(commandLine < 0 ? sources.Count : commandLine, aliasSource);
        }
    }

    /// <summary>Binds and validates the options: the one place they are read. A key that names no setting (a typo the
    /// binder would ignore) is refused with the nearest known key. The host registers the result as
    /// <c>IOptions&lt;SiloOptions&gt;</c>.</summary>
    /// <exception cref="SiloConfigurationException">One or more problems, each naming its key.</exception>
    public static SiloOptions Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SiloOptions.SectionName);
        var failures = ConfigurationKeyCheck.Failures(section, typeof(SiloOptions), SiloComposition.BoundSections).ToList();
        var options = new SiloOptions();
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // The binder stops at the first value that does not convert; its message names the key.
            throw new SiloConfigurationException([.. failures, ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message]);
        }

        failures.AddRange(SkippedEntries(section, options));
        failures.AddRange(FormationDefaultFailures(section, options));
        failures.AddRange(SiloOptionsValidator.Failures(options));
        if (ApiKeyStore.IsEnabled(options) && options.Auth.Mode == AuthMode.Auto && options.Auth.ApiKeys.Count == 0)
        {
            failures.Add($"{SiloOptions.SectionName}:Auth:ApiKeys must list at least one key: the silo listens on " +
                $"'{options.Http.ListenAddress}' (not loopback only), so API keys are required. For development only, set " +
                $"{SiloOptions.SectionName}:Auth:Mode to Disabled.");
        }

        return failures.Count > 0 ? throw new SiloConfigurationException(failures) : options;
    }

    /// <summary>The silo-wide formation default (<c>Grains:Formation:Default</c>), checked before anything starts against
    /// the extractors this silo registers: <c>rules</c>, and <c>llm</c> when a chat model is configured
    /// (<c>ConflictClassifier</c>). The grains check it again at startup (any host), without the configuration key.</summary>
    private static IEnumerable<string> FormationDefaultFailures(IConfigurationSection section, SiloOptions options)
    {
        var formationDefault = section.GetSection("Grains:Formation:Default");
        if (!formationDefault.Exists())
        {
            return [];
        }

        var chatModel = !options.ConflictClassifier.Provider.Trim().Equals(EmbeddingProviders.None, StringComparison.OrdinalIgnoreCase);
        var maxInstructions = int.TryParse(section["Grains:MaxReasonLength"], out var max) ? max : new MemoryGrainOptions().MaxReasonLength;
        return (formationDefault.Get<FormationDefaultOptions>() ?? new()).Problems(
            formationDefault.Path, ':', [FormationSettings.RulesExtractor, FormationSettings.LlmExtractor], chatModel, maxInstructions);
    }

    /// <summary>The binder silently leaves out a dictionary entry with a value that does not convert; storage providers
    /// are the entries that can have such values.</summary>
    private static IEnumerable<string> SkippedEntries(IConfigurationSection section, SiloOptions options)
    {
        var providers = section.GetSection("Storage:Providers");
        foreach (var child in providers.GetChildren().Where(c => !options.Storage.Providers.ContainsKey(c.Key)))
        {
            yield return $"{child.Path} has a value that does not convert to its setting's type (a number, true/false, ...).";
        }
    }
}
