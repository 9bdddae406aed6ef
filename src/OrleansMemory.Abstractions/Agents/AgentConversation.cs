namespace OrleansMemory.Abstractions;

/// <summary>A conversation an agent took part in.</summary>
/// <param name="ConversationId">The conversation's id.</param>
/// <param name="FirstActivity">When the agent first acted in it.</param>
/// <param name="LastActivity">When the agent last acted in it.</param>
[GenerateSerializer, Alias("orleansmemory.AgentConversation")]
public sealed record AgentConversation(string ConversationId, DateTimeOffset FirstActivity, DateTimeOffset LastActivity);
