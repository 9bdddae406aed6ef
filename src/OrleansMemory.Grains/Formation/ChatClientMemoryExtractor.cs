using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains;

/// <summary>The <c>llm</c> extractor: one chat call per batch of new messages through <see cref="IChatClient"/>
/// (Microsoft.Extensions.AI: Ollama, vLLM, OpenAI), asking for JSON, with the conversation's custom instructions. The
/// answer is validated; an answer that is not the expected JSON is an error (the step is retried), never a memory.</summary>
/// <param name="chatClient">The chat client; null when none is configured (then every extraction fails with a clear error).</param>
public sealed class ChatClientMemoryExtractor(IChatClient? chatClient) : IMemoryExtractor
{
    private const int MaxMemoryLength = 1000;
    private static readonly string[] Types = [MemoryTypes.Fact, MemoryTypes.Preference, MemoryTypes.Event, MemoryTypes.Instruction];

    /// <summary>The system prompt (the conversation's instructions follow it).</summary>
    public const string SystemPrompt = """
        You read new messages of a conversation between a user and an assistant and extract durable memories about the
        user: facts about themselves, preferences, plans and events, relationships, and standing instructions. Only what
        the user states as true about themselves; never questions, greetings, small talk, hypotheticals, jokes, or the
        assistant's own words. Prefer storing nothing over storing something doubtful. Write each memory as one short
        first-person statement ("I am allergic to peanuts."). Cite the sequence numbers of the messages it comes from.
        Context messages are for understanding only; extract nothing from them.
        Answer with one JSON object and nothing else:
        {"memories": [{"text": "...", "type": "fact|preference|event|instruction", "importance": 0.0-1.0, "sequences": [n]}]}
        """;

    /// <inheritdoc />
    public string Name => FormationSettings.LlmExtractor;

    /// <summary>Whether a chat client is configured.</summary>
    public bool IsConfigured => chatClient is not null;

    /// <inheritdoc />
    public async ValueTask<ExtractionResult> ExtractAsync(ExtractionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (chatClient is null)
        {
            throw new MemoryFormationException("The llm extractor has no chat client: configure OrleansMemory:ConflictClassifier (provider openai).");
        }

        var system = string.IsNullOrWhiteSpace(request.Instructions) ? SystemPrompt : SystemPrompt + "\nInstructions from the application:\n" + request.Instructions;
        var response = await chatClient.GetResponseAsync(
            [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, Prompt(request))],
            new ChatOptions { Temperature = 0, ResponseFormat = ChatResponseFormat.Json },
            cancellationToken);
        var tokens = response.Usage?.TotalTokenCount ?? ((response.Usage?.InputTokenCount ?? 0) + (response.Usage?.OutputTokenCount ?? 0));
        FormationMetrics.RecordTokens(tokens);
        var allowed = request.Messages.Select(m => m.Sequence).ToHashSet();
        return new ExtractionResult(Parse(response.Text, allowed), tokens);
    }

    /// <summary>The user prompt: context and new messages as JSON lines.</summary>
    private static string Prompt(ExtractionRequest request)
    {
        var text = new StringBuilder();
        if (request.Context.Count > 0)
        {
            text.AppendLine("Context (extract nothing from these):");
            foreach (var m in request.Context)
            {
                text.AppendLine(Line(m));
            }
        }

        text.AppendLine("New messages:");
        foreach (var m in request.Messages)
        {
            text.AppendLine(Line(m));
        }

        return text.ToString();
    }

    private static string Line(RawMessage m) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["sequence"] = m.Sequence,
        ["role"] = m.Role,
        ["content"] = m.Content,
    });

    /// <summary>Reads the answer; throws <see cref="MemoryFormationException"/> (naming what is wrong, quoting nothing)
    /// unless it is exactly the expected shape.</summary>
    internal static List<ExtractedMemory> Parse(string answer, IReadOnlySet<long> allowed)
    {
        var start = answer.IndexOf('{', StringComparison.Ordinal);
        var end = answer.LastIndexOf('}');
        if (start < 0 || end <= start)
        {
            throw Malformed("no JSON object");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(answer.AsMemory(start, end - start + 1));
        }
        catch (JsonException)
        {
            throw Malformed("not valid JSON");
        }

        using (document)
        {
            if (!document.RootElement.TryGetProperty("memories", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                throw Malformed("no \"memories\" array");
            }

            var found = new List<ExtractedMemory>();
            var index = 0;
            foreach (var item in items.EnumerateArray())
            {
                found.Add(Item(item, index++, allowed));
            }

            return found;
        }
    }

    private static ExtractedMemory Item(JsonElement item, int index, IReadOnlySet<long> allowed)
    {
        var at = string.Create(CultureInfo.InvariantCulture, $"memories[{index}]");
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(at + " is not an object");
        }

        var text = item.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()!.Trim() : "";
        if (text.Length is 0 or > MaxMemoryLength)
        {
            throw Malformed(at + ".text is missing, empty or too long");
        }

        var type = item.TryGetProperty("type", out var ty) && ty.ValueKind == JsonValueKind.String ? ty.GetString()! : MemoryTypes.Fact;
        if (!Types.Contains(type))
        {
            throw Malformed(at + ".type is not fact, preference, event or instruction");
        }

        var importance = 0.5;
        if (item.TryGetProperty("importance", out var im) && (im.ValueKind != JsonValueKind.Number || !im.TryGetDouble(out importance) || importance is < 0 or > 1))
        {
            throw Malformed(at + ".importance is not a number in 0..1");
        }

        if (!item.TryGetProperty("sequences", out var seqs) || seqs.ValueKind != JsonValueKind.Array || seqs.GetArrayLength() == 0)
        {
            throw Malformed(at + ".sequences is missing or empty");
        }

        var sequences = new SortedSet<long>();
        foreach (var s in seqs.EnumerateArray())
        {
            if (s.ValueKind != JsonValueKind.Number || !s.TryGetInt64(out var sequence) || !allowed.Contains(sequence))
            {
                throw Malformed(at + ".sequences names a message that is not among the new messages");
            }

            sequences.Add(sequence);
        }

        return new ExtractedMemory(text, type, importance, [.. sequences]);
    }

    private static MemoryFormationException Malformed(string what) => new($"The llm extractor's answer was unusable: {what}.");
}
