using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace OrleansMemory.Grains;

/// <summary>A conflict classifier backed by an LLM through <see cref="IChatClient"/> (Microsoft.Extensions.AI). It asks
/// for a JSON verdict; when the call fails or the answer cannot be read it falls back to <see cref="RuleBasedMemoryClassifier"/>.</summary>
/// <param name="chatClient">The chat client.</param>
/// <param name="mode">Replace the rules, or back them up.</param>
/// <param name="logger">Logs fallbacks.</param>
public sealed partial class ChatClientMemoryClassifier(IChatClient chatClient, ChatClientClassifierMode mode, ILogger<ChatClientMemoryClassifier> logger)
    : IMemoryClassifier
{
    private const string Instructions = """
        You compare two statements a user made about themselves, an older one (A) and a newer one (B), and decide
        whether they contradict each other. Singleton categories hold one value at a time: location, name, age, job,
        relationship_status. Other categories: negation, number, date, named_value, preference, none.
        Answer with one JSON object and nothing else:
        {"conflict": true|false, "category": "...", "singleton": true|false, "explanation": "...", "question": "a question to ask the user"}
        """;

    /// <inheritdoc />
    public async ValueTask<ConflictClassification> ClassifyAsync(ConflictCandidate candidate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var rules = RuleBasedMemoryClassifier.Classify(candidate.ExistingText, candidate.NewText);
        if (mode == ChatClientClassifierMode.Backstop && rules.IsConflict)
        {
            return rules;
        }

        try
        {
            var response = await chatClient.GetResponseAsync(
                [
                    new ChatMessage(ChatRole.System, Instructions),
                    new ChatMessage(ChatRole.User, $"A: {candidate.ExistingText}\nB: {candidate.NewText}\nSimilarity: {candidate.Similarity:F3}"),
                ],
                new ChatOptions { Temperature = 0 },
                cancellationToken);
            return Parse(response.Text, candidate) ?? Fallback(rules, "unreadable answer");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogWarningFallback(logger, ex);
            return rules;
        }
    }

    private ConflictClassification Fallback(ConflictClassification rules, string why)
    {
        LogWarningUnreadable(logger, why);
        return rules;
    }

    private static ConflictClassification? Parse(string text, ConflictCandidate candidate)
    {
        var start = text.IndexOf('{', StringComparison.Ordinal);
        var end = text.LastIndexOf('}');
        if (start < 0 || end <= start)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text.AsMemory(start, end - start + 1));
            var root = document.RootElement;
            if (!root.TryGetProperty("conflict", out var conflict) || conflict.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return null;
            }

            var category = root.TryGetProperty("category", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "none";
            var singleton = root.TryGetProperty("singleton", out var s) && s.ValueKind == JsonValueKind.True;
            var explanation = root.TryGetProperty("explanation", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : string.Empty;
            var question = root.TryGetProperty("question", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString()! : string.Empty;
            return conflict.GetBoolean()
                ? new ConflictClassification(true, category, singleton, "LLM: " + explanation,
                    question.Length > 0 ? question : $"Earlier you said \"{candidate.ExistingText}\", and now \"{candidate.NewText}\". Which one is right?")
                : ConflictClassification.None("LLM: " + explanation);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The chat client failed to classify a memory pair; using the rule-based classifier")]
    private static partial void LogWarningFallback(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The chat client's classification could not be used ({Reason}); using the rule-based classifier")]
    private static partial void LogWarningUnreadable(ILogger logger, string reason);
}
