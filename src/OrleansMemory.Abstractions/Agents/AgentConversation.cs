using System.Text;

namespace OrleansMemory.Abstractions;

/// <summary>A conversation an agent took part in.</summary>
/// <param name="ConversationId">The conversation's id.</param>
/// <param name="FirstActivity">When the agent first acted in it.</param>
/// <param name="LastActivity">When the agent last acted in it.</param>
[GenerateSerializer, Alias("orleansmemory.AgentConversation")]
public sealed record AgentConversation(string ConversationId, DateTimeOffset FirstActivity, DateTimeOffset LastActivity)
{
    /// <summary>Prints no text, key or id (only counts, scores, states and times), so that no log line, Orleans' own
    /// included, can carry what a user wrote.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder
            .Append("FirstActivity = ").Append(FirstActivity)
            .Append(", LastActivity = ").Append(LastActivity);
        return true;
    }
}
