using Microsoft.AspNetCore.Http.HttpResults;
using OrleansMemory.Abstractions;
using OrleansMemory.Silo.Api.Requests;

namespace OrleansMemory.Silo.Api;

/// <summary>/v1/conversations/{conversationId}/formation: background memory formation of a conversation.</summary>
internal static class ConversationFormationEndpoints
{
    public static void MapFormationEndpoints(this RouteGroupBuilder one)
    {
        one.MapPut("/formation", SetAsync).RequireAuthorization(Scopes.Write)
            .WithSummary("Turns background memory formation on: new messages form the user's memories (rules or llm extractor).");
        one.MapGet("/formation", GetAsync).RequireAuthorization(Scopes.Read).WithSummary("Where memory formation stands: the conversation's own setting or the silo-wide default.");
        one.MapDelete("/formation", DeleteAsync).RequireAuthorization(Scopes.Write).WithSummary("Turns memory formation off, the silo-wide default included (formed memories stay).");
    }

    /// <summary>The status with the user named as the caller names it (the grain key without the tenant; null under the
    /// silo-wide default until an append names the user).</summary>
    private static FormationStatus AsSent(FormationStatus status) => status with { UserId = status.UserId is { } user ? Ids.IdOf(user) : null };

    private static IConversationGrain Grain(HttpContext http, IGrainFactory grains, string conversationId) =>
        grains.GetGrain<IConversationGrain>(Ids.GrainKey(http.Tenant(), conversationId, "conversation_id"));

    private static async Task<Ok<FormationStatus>> SetAsync(
        HttpContext http, IGrainFactory grains, string conversationId, FormationRequest body, CancellationToken ct)
    {
        http.User.CheckPinnedUser(body.UserId); // a key pinned to one user forms no other user's memories
        var user = Ids.GrainKey(http.Tenant(), body.UserId, "user_id");
        var extractor = body.Extractor ?? FormationSettings.RulesExtractor;
        var status = await Grain(http, grains, conversationId).SetFormationAsync(new FormationSettings(user, extractor, body.Instructions), ct);
        await grains.GetGrain<IConversationDirectoryGrain>(http.Tenant()).TouchAsync(conversationId, ct);
        return TypedResults.Ok(AsSent(status));
    }

    private static async Task<Ok<FormationStatus>> GetAsync(HttpContext http, IGrainFactory grains, string conversationId, CancellationToken ct) =>
        TypedResults.Ok(AsSent(await Grain(http, grains, conversationId).GetFormationAsync(ct)
            ?? throw new MemoryNotFoundException($"Memory formation is off for conversation '{conversationId}'.")));

    private static async Task<NoContent> DeleteAsync(HttpContext http, IGrainFactory grains, string conversationId, CancellationToken ct)
    {
        if (!await Grain(http, grains, conversationId).DisableFormationAsync(ct))
        {
            throw new MemoryNotFoundException($"Memory formation is off for conversation '{conversationId}'.");
        }

        return TypedResults.NoContent();
    }
}
