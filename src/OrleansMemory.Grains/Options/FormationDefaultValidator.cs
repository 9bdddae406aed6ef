using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains;

/// <summary>Validates the silo-wide formation default (<see cref="MemoryFormationOptions.Default"/>) at startup against the
/// extractors registered in DI: an unknown extractor, or <c>llm</c> without a chat client, stops the host.</summary>
internal sealed class FormationDefaultValidator(IServiceProvider services) : IValidateOptions<MemoryGrainOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MemoryGrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Formation.Default is not { } formationDefault)
        {
            return ValidateOptionsResult.Success;
        }

        var extractors = services.GetServices<IMemoryExtractor>().ToList();
        var llm = extractors.LastOrDefault(e => e.Name == FormationSettings.LlmExtractor);
        var failures = formationDefault.Problems("MemoryGrainOptions.Formation.Default", '.', [.. extractors.Select(e => e.Name).Distinct()],
            chatClient: llm is not ChatClientMemoryExtractor { IsConfigured: false }, options.MaxReasonLength).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
