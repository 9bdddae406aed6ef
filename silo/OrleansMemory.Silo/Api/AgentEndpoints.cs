using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OrleansMemory.Abstractions;
using OrleansMemory.Silo.Api.Requests;

namespace OrleansMemory.Silo.Api;

/// <summary>/v1/agents: reasoning chains, memory context, conversations, stats.</summary>
internal static class AgentEndpoints
{
    public static void MapAgentEndpoints(this RouteGroupBuilder v1)
    {
        var one = v1.MapGroup("/agents/{agentId}").WithTags("Agents");
        one.MapPost("/reasoning-chains", AppendChainAsync).RequireAuthorization(Scopes.Write).WithSummary("Appends a reasoning chain.");
        one.MapGet("/reasoning-chains", GetChainsAsync).RequireAuthorization(Scopes.Read)
            .WithSummary("Reasoning chains after a sequence number, or (with since) the newest chains started at or after a time.");
        one.MapDelete("/reasoning-chains", DeleteChainsAsync).RequireAuthorization(Scopes.Write).WithSummary("Deletes every reasoning chain.");
        one.MapGet("/memory-context", GetMemoryContextAsync).RequireAuthorization(Scopes.Read).WithSummary("Recent reasoning as chat messages within a token budget.");
        one.MapPost("/conversations", RecordConversationAsync).RequireAuthorization(Scopes.Write).WithSummary("Records that the agent acted in a conversation.");
        one.MapGet("/conversations", GetConversationsAsync).RequireAuthorization(Scopes.Read).WithSummary("Conversations the agent took part in.");
        one.MapGet("/stats", GetStatsAsync).RequireAuthorization(Scopes.Read).WithSummary("Figures of the agent.");
        one.MapDelete("", DeleteAsync).RequireAuthorization(Scopes.Write).WithSummary("Deletes everything of the agent.");
    }

    private static IAgentGrain Grain(HttpContext http, IGrainFactory grains, string agentId) =>
        grains.GetGrain<IAgentGrain>(Ids.GrainKey(http.Tenant(), agentId, "agent_id"));

    private static async Task<Created<SequenceResponse>> AppendChainAsync(
        HttpContext http, IGrainFactory grains, ApiLimits limits, string agentId, ReasoningChainInput body, CancellationToken ct)
    {
        limits.Batch(body.Steps, "steps");
        if (body.ConversationId is { } conversationId && !Ids.IsValidId(conversationId))
        {
            throw new ApiValidationException("conversation_id", $"'{conversationId}' is not a valid conversation_id.");
        }

        var sequence = await Grain(http, grains, agentId).AppendChainAsync(body.ToChain(), IdempotencyHeader.Of(http), ct);
        return TypedResults.Created($"{http.Request.Path}?after={sequence - 1}&limit=1", new SequenceResponse(sequence));
    }

    private static async Task<Results<Ok<ReasoningChainPage>, Ok<IReadOnlyList<ReasoningChain>>>> GetChainsAsync(
        HttpContext http, IGrainFactory grains, ApiLimits limits, string agentId, CancellationToken ct,
        long after = 0, int limit = 100, DateTimeOffset? since = null)
    {
        ApiLimits.NonNegative(after, "after");
        var grain = Grain(http, grains, agentId);
        return since is { } s
            ? TypedResults.Ok(await grain.GetChainsSinceAsync(s, limits.Page(limit), ct))
            : TypedResults.Ok(await grain.GetChainsAsync(after, limits.Page(limit), ct));
    }

    private static async Task<NoContent> DeleteChainsAsync(HttpContext http, IGrainFactory grains, string agentId, CancellationToken ct)
    {
        await Grain(http, grains, agentId).DeleteChainsAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<MemoryContext>> GetMemoryContextAsync(
        HttpContext http, IGrainFactory grains, string agentId, CancellationToken ct, [FromQuery(Name = "max_tokens")] int maxTokens = 2000)
    {
        if (maxTokens < 1 || maxTokens > 1_000_000)
        {
            throw new ApiValidationException("max_tokens", $"max_tokens must be 1-1000000 (was {maxTokens}).");
        }

        return TypedResults.Ok(await Grain(http, grains, agentId).GetMemoryContextAsync(maxTokens, ct));
    }

    private static async Task<NoContent> RecordConversationAsync(
        HttpContext http, IGrainFactory grains, string agentId, AgentConversationRequest body, CancellationToken ct)
    {
        if (!Ids.IsValidId(body.ConversationId))
        {
            throw new ApiValidationException("conversation_id", $"'{body.ConversationId}' is not a valid conversation_id.");
        }

        await Grain(http, grains, agentId).RecordConversationAsync(body.ConversationId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<AgentConversation>>> GetConversationsAsync(HttpContext http, IGrainFactory grains, string agentId, CancellationToken ct) =>
        TypedResults.Ok(await Grain(http, grains, agentId).GetConversationsAsync(ct));

    private static async Task<Ok<AgentStats>> GetStatsAsync(HttpContext http, IGrainFactory grains, string agentId, CancellationToken ct) =>
        TypedResults.Ok(await Grain(http, grains, agentId).GetStatsAsync(ct));

    private static async Task<NoContent> DeleteAsync(HttpContext http, IGrainFactory grains, string agentId, CancellationToken ct)
    {
        await Grain(http, grains, agentId).DeleteAsync(ct);
        return TypedResults.NoContent();
    }
}
