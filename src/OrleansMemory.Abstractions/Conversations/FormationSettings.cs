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

    /// <summary>Prints no instructions.</summary>
    public override string ToString() => $"FormationSettings {{ Extractor = {Extractor}, Instructions = {Instructions?.Length ?? 0} chars }}";
}
