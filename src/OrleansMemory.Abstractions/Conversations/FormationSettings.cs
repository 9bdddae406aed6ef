using System.Text;

namespace OrleansMemory.Abstractions;

/// <summary>How a conversation forms its user's memories in the background.</summary>
/// <param name="UserId">The user grain's key whose memories the conversation forms.</param>
/// <param name="Extractor">The extractor's name: <c>rules</c> (the default) or <c>llm</c>, or one a host registered.</param>
/// <param name="Instructions">Optional custom instructions for the <c>llm</c> extractor.</param>
[GenerateSerializer, Alias("orleansmemory.FormationSettings")]
public sealed record FormationSettings(string UserId, string Extractor = FormationSettings.RulesExtractor, string? Instructions = null)
{
    /// <summary>The name of the rule-based extractor.</summary>
    public const string RulesExtractor = "rules";

    /// <summary>The name of the LLM extractor.</summary>
    public const string LlmExtractor = "llm";

    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("Instructions = ").Append(Instructions?.Length ?? 0).Append(" chars");
        return true;
    }
}
