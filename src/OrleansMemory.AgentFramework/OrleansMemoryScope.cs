namespace OrleansMemory.AgentFramework;

/// <summary>Whose memory an agent session uses: kept in the session's state bag (<see cref="OrleansMemorySession"/>), so
/// one provider instance serves many sessions and a session serialized with <c>SerializeSessionAsync</c> and restored in
/// another process continues with the same memory. Ids are the same as the HTTP API's: with a tenant, grain keys are
/// <c>{tenant}/{id}</c>, so a session reaches the same memories as the silo's API and MCP tools for that tenant.</summary>
/// <param name="UserId">The user whose long-term memories are recalled and whose short-term messages are recorded.</param>
/// <param name="TenantId">The tenant (as an API key's tenant); null: ids are grain keys as they are.</param>
/// <param name="AgentId">The agent, recorded with the conversation; optional.</param>
/// <param name="ConversationId">The conversation holding the session's messages; null: a new id is made at the first
/// run and saved in the session.</param>
public sealed record OrleansMemoryScope(string UserId, string? TenantId = null, string? AgentId = null, string? ConversationId = null)
{
    /// <summary>The grain key of <paramref name="id"/> in this scope's tenant.</summary>
    internal string Key(string id) => TenantId is null ? id : $"{TenantId}/{id}";

    /// <summary>The user grain's key.</summary>
    internal string UserKey => Key(UserId);

    /// <summary>The conversation directory that lists this scope's conversations: the tenant's (as the HTTP API's), else
    /// <c>default</c> (as <c>MemoryStore</c>'s default).</summary>
    internal string DirectoryKey => TenantId ?? "default";

    /// <inheritdoc />
    public override string ToString() => "OrleansMemoryScope"; // ids are personal data: never in logs
}
