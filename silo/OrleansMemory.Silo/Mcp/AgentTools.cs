using System.ComponentModel;
using System.Security.Claims;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using OrleansMemory.Abstractions;
using OrleansMemory.Silo.Api;
using OrleansMemory.Silo.Api.Requests;

namespace OrleansMemory.Silo.Mcp;

/// <summary>The tools beyond mem0's: conversation messages, conflicts and an agent's memory context. Same grain methods,
/// validation and scopes as the HTTP routes; parameter names are the wire names.</summary>
[McpServerToolType]
internal sealed class AgentTools(IGrainFactory grains, ApiLimits limits)
{
    /// <summary>POST /v1/conversations/{conversation_id}/messages.</summary>
    [McpServerTool(Name = "append_messages", Title = "Append conversation messages", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Appends messages (role and content) to a conversation's history; answers their sequence numbers.")]
    public async Task<CallToolResult> AppendMessagesAsync(
        ClaimsPrincipal? user,
        [Description("The conversation.")] string conversation_id,
        [Description("The messages in order: role (system, user, assistant, tool), content, optional id, timestamp, name, tool_call_id, metadata.")]
        IReadOnlyList<MessageInput> messages,
        [Description("Optional: the conversation's user. Under the silo-wide memory formation default the conversation then forms this user's memories; naming another user than the one it forms for is refused.")]
        string? user_id = null,
        CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.Of(user).Require(Scopes.Write);
        var grain = grains.GetGrain<IConversationGrain>(Ids.GrainKey(caller.Tenant, conversation_id, "conversation_id"));
        var raw = limits.Batch(messages, "messages").Select(m => m.ToRawMessage()).ToList();
        var sequences = string.IsNullOrEmpty(user_id)
            ? await grain.AppendMessagesAsync(raw, cancellationToken).ConfigureAwait(false)
            : await grain.AppendMessagesForUserAsync(Ids.GrainKey(caller.Tenant, caller.User(user_id), "user_id"), raw, cancellationToken).ConfigureAwait(false);
        await grains.GetGrain<IConversationDirectoryGrain>(caller.Tenant).TouchAsync(conversation_id, cancellationToken).ConfigureAwait(false);
        return McpResults.Ok(new SequencesResponse(sequences));
    }

    /// <summary>GET /v1/conversations/{conversation_id}/messages.</summary>
    [McpServerTool(Name = "get_messages", Title = "Read conversation messages", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("A conversation's messages after a sequence number, oldest first.")]
    public async Task<CallToolResult> GetMessagesAsync(
        ClaimsPrincipal? user,
        [Description("The conversation.")] string conversation_id,
        [Description("Only messages with a larger sequence number; default 0 (from the start).")] long? after = null,
        [Description("Page size; default 100.")] int? limit = null,
        CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.Of(user).Require(Scopes.Read);
        var grain = grains.GetGrain<IConversationGrain>(Ids.GrainKey(caller.Tenant, conversation_id, "conversation_id"));
        ApiLimits.NonNegative(after ?? 0, "after");
        return McpResults.Ok(await grain.GetMessagesAsync(after ?? 0, limits.Page(limit ?? 100), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>GET /v1/users/{user_id}/conflicts/pending.</summary>
    [McpServerTool(Name = "get_pending_conflicts", Title = "Pending memory conflicts", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Pairs of the user's memories that contradict each other and wait for a decision.")]
    public async Task<CallToolResult> GetPendingConflictsAsync(
        ClaimsPrincipal? user,
        [Description("The user; omitted: the user the API key is pinned to.")] string? user_id = null,
        CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.Of(user).Require(Scopes.Read);
        var userId = caller.User(user_id);
        return McpResults.Ok((await caller.UserGrain(grains, userId).GetPendingConflictsAsync(cancellationToken).ConfigureAwait(false)).AsSent(userId));
    }

    /// <summary>POST /v1/users/{user_id}/conflicts/{conflict_id}/resolve.</summary>
    [McpServerTool(Name = "resolve_conflict", Title = "Resolve a memory conflict", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = false)]
    [Description("Decides a conflict: keep_a or keep_b (the other is archived), keep_both, or merge (both replaced by merged_text).")]
    public async Task<CallToolResult> ResolveConflictAsync(
        ClaimsPrincipal? user,
        [Description("The conflict's id.")] string conflict_id,
        [Description("keep_a, keep_b, keep_both or merge.")] ConflictResolutionKind kind,
        [Description("The user; omitted: the user the API key is pinned to.")] string? user_id = null,
        [Description("The merged memory's text; required for merge.")] string? merged_text = null,
        [Description("Why (kept in the memories' history).")] string? reason = null,
        [Description(McpIdempotency.Help)] string? idempotency_key = null,
        CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.Of(user).Require(Scopes.Write);
        var userId = caller.User(user_id);
        if (kind == ConflictResolutionKind.Merge && string.IsNullOrWhiteSpace(merged_text))
        {
            throw new ApiValidationException("merged_text", "A merge needs merged_text.");
        }

        var conflict = await caller.UserGrain(grains, userId)
            .ResolveConflictAsync(conflict_id, new ConflictResolution(kind, merged_text, null, reason), McpIdempotency.Check(idempotency_key), cancellationToken).ConfigureAwait(false);
        return caller.CanRead ? McpResults.Ok(conflict.AsSent(userId)) : McpResults.Ok(new WriteReceipt(conflict.Id, "resolved", []));
    }

    /// <summary>GET /v1/agents/{agent_id}/memory-context.</summary>
    [McpServerTool(Name = "get_memory_context", Title = "Agent memory context", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("The agent's recent reasoning as chat messages within a token budget, newest kept when it must be cut.")]
    public async Task<CallToolResult> GetMemoryContextAsync(
        ClaimsPrincipal? user,
        [Description("The agent.")] string agent_id,
        [Description("Token budget, 1..1000000; default 2000.")] int? max_tokens = null,
        CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.Of(user).Require(Scopes.Read);
        var maxTokens = max_tokens ?? 2000;
        if (maxTokens < 1 || maxTokens > 1_000_000)
        {
            throw new ApiValidationException("max_tokens", $"max_tokens must be 1-1000000 (was {maxTokens}).");
        }

        var grain = grains.GetGrain<IAgentGrain>(Ids.GrainKey(caller.Tenant, agent_id, "agent_id"));
        return McpResults.Ok(await grain.GetMemoryContextAsync(maxTokens, cancellationToken).ConfigureAwait(false));
    }
}
