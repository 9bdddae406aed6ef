using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace OrleansMemory.AgentFramework.Tests;

/// <summary>The model's seat in these tests (no LLM runs here): records every input it is given and answers by a
/// script. A user message "Remember: X" is answered with a call of the <c>remember</c> tool for X (when offered), the
/// tool's result with "Noted.", anything else with "OK.".</summary>
public sealed class RecordingChatClient : IChatClient
{
    private readonly List<IReadOnlyList<ChatMessage>> _inputs = [];
    private int _calls;

    /// <summary>Every input, in order.</summary>
    public IReadOnlyList<IReadOnlyList<ChatMessage>> Inputs
    {
        get
        {
            lock (_inputs)
            {
                return [.. _inputs];
            }
        }
    }

    /// <summary>The input of the latest call.</summary>
    public IReadOnlyList<ChatMessage> LastInput => Inputs[^1];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var input = messages.ToList();
        lock (_inputs)
        {
            _inputs.Add(input);
        }

        var last = input[^1];
        ChatMessage answer;
        if (last.Role == ChatRole.Tool)
        {
            answer = new ChatMessage(ChatRole.Assistant, "Noted.");
        }
        else if (last.Role == ChatRole.User && last.Text.StartsWith("Remember: ", StringComparison.Ordinal)
                 && options?.Tools?.Any(t => t.Name == "remember") == true)
        {
            var call = new FunctionCallContent($"call-{Interlocked.Increment(ref _calls)}", "remember",
                new Dictionary<string, object?> { ["text"] = last.Text["Remember: ".Length..] });
            answer = new ChatMessage(ChatRole.Assistant, [call]);
        }
        else
        {
            answer = new ChatMessage(ChatRole.Assistant, "OK.");
        }

        return Task.FromResult(new ChatResponse(answer));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
