using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace AgentWithMemory;

/// <summary>A stand-in model so the sample runs offline: "Remember: X" calls the <c>remember</c> tool with X; any other
/// question is answered with the memories the provider gave it (or "I don't know yet.").</summary>
internal sealed partial class ScriptedChatClient : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var input = messages.ToList();
        var last = input[^1];
        ChatMessage answer;
        if (last.Role == ChatRole.Tool)
        {
            answer = new ChatMessage(ChatRole.Assistant, "Noted, I will remember that.");
        }
        else if (last.Text.StartsWith("Remember: ", StringComparison.Ordinal) && options?.Tools?.Any(t => t.Name == "remember") == true)
        {
            answer = new ChatMessage(ChatRole.Assistant,
                [new FunctionCallContent("call-1", "remember", new Dictionary<string, object?> { ["text"] = last.Text["Remember: ".Length..] })]);
        }
        else
        {
            // The provider's message quotes each memory as a JSON string after "- ".
            var memories = input.Where(m => m.Text.StartsWith("<memories>", StringComparison.Ordinal))
                .SelectMany(m => QuotedItem().Matches(m.Text).Select(x => System.Text.Json.JsonSerializer.Deserialize<string>(x.Groups[1].Value)))
                .ToList();
            answer = new ChatMessage(ChatRole.Assistant, memories.Count == 0 ? "I don't know yet." : "From what I remember: " + string.Join("; ", memories));
        }

        return Task.FromResult(new ChatResponse(answer));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false)).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    [GeneratedRegex("^- (\"(?:[^\"\\\\]|\\\\.)*\") \\(", RegexOptions.Multiline)]
    private static partial Regex QuotedItem();
}
