using System.Text.Json;
using Microsoft.Extensions.AI;
using OrleansMemory.Abstractions;

namespace OrleansMemory.AgentFramework;

/// <summary>Chat messages to and from the conversation grain's raw messages. Text messages are stored as role and
/// content (readable through the HTTP API and MCP); a message with other content (tool calls, tool results, images)
/// also keeps its whole JSON in the metadata entry <c>chat_message</c>, so the history gives it back as it was.</summary>
internal static class ChatMessageMapping
{
    /// <summary>The metadata entry holding a message's JSON.</summary>
    public const string ChatMessageEntry = "chat_message";

    public static RawMessage ToRawMessage(ChatMessage message)
    {
        IReadOnlyDictionary<string, JsonElement>? metadata = message.Contents.All(c => c is TextContent)
            ? null
            : new Dictionary<string, JsonElement>
            {
                [ChatMessageEntry] = JsonSerializer.SerializeToElement(message, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatMessage))),
            };
        var name = message.AuthorName;
        var toolCallId = message.Contents.OfType<FunctionResultContent>().FirstOrDefault()?.CallId;
        return new RawMessage(message.MessageId ?? "", message.Role.Value, message.Text, message.CreatedAt ?? DateTimeOffset.UtcNow, name, toolCallId, metadata);
    }

    public static ChatMessage ToChatMessage(RawMessage message)
    {
        if (message.Metadata?.TryGetValue(ChatMessageEntry, out var json) is true
            && json.Deserialize(AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatMessage))) is ChatMessage stored)
        {
            return stored;
        }

        return new ChatMessage(new ChatRole(message.Role), message.Content)
        {
            MessageId = string.IsNullOrEmpty(message.Id) ? null : message.Id,
            AuthorName = message.Name,
            CreatedAt = message.Timestamp == default ? null : message.Timestamp,
        };
    }
}
