using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains;

/// <summary>The silo-wide default of memory formation (<see cref="MemoryFormationOptions.Default"/>): it applies to a
/// conversation that has no formation setting of its own (none was PUT, and it was not turned off) once an append names
/// the conversation's user.</summary>
public sealed class FormationDefaultOptions
{
    /// <summary>The extractor's name: <c>rules</c> (the default) or <c>llm</c> (needs a chat client), or one the host registered.</summary>
    public string Extractor { get; set; } = FormationSettings.RulesExtractor;

    /// <summary>Optional custom instructions for the <c>llm</c> extractor.</summary>
    public string? Instructions { get; set; }

    /// <summary>The settings a conversation of user <paramref name="userId"/> forms with under this default.</summary>
    public FormationSettings For(string userId) =>
        new(userId, Extractor.Trim(), string.IsNullOrWhiteSpace(Instructions) ? null : Instructions);

    /// <summary>Problems of this default, each starting with the key it names: <paramref name="key"/> and the property,
    /// joined by <paramref name="separator"/> (<c>:</c> for configuration keys, <c>.</c> for options).</summary>
    /// <param name="key">The key of this default, e.g. <c>OrleansMemory:Grains:Formation:Default</c>.</param>
    /// <param name="separator">Between the key and the property name.</param>
    /// <param name="extractors">The names of the extractors the host registered.</param>
    /// <param name="chatClient">Whether a chat client is registered (the <c>llm</c> extractor needs one).</param>
    /// <param name="maxInstructions">The longest instructions accepted (<see cref="MemoryGrainOptions.MaxReasonLength"/>).</param>
    public IEnumerable<string> Problems(string key, char separator, IReadOnlyCollection<string> extractors, bool chatClient, int maxInstructions)
    {
        ArgumentNullException.ThrowIfNull(extractors);
        var extractor = (Extractor ?? "").Trim();
        if (!extractors.Contains(extractor))
        {
            yield return $"{key}{separator}Extractor must name a registered extractor: {string.Join(", ", extractors)} (was '{extractor}').";
        }
        else if (extractor == FormationSettings.LlmExtractor && !chatClient)
        {
            yield return $"{key}{separator}Extractor is 'llm', which needs a chat model; none is configured (OrleansMemory:ConflictClassifier: Provider, Endpoint, Model).";
        }

        if (Instructions is { Length: > 0 } instructions && instructions.Length > maxInstructions)
        {
            yield return $"{key}{separator}Instructions must be at most {maxInstructions} characters (is {instructions.Length}).";
        }
    }
}
