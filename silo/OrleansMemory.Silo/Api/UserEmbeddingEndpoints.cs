using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Silo.Api;

/// <summary>/v1/users/{userId}/embedding-pipeline and /reembed: which text pipeline made a user's embeddings, and
/// re-embedding them with the silo's current one (docs/embeddings.md).</summary>
internal static class UserEmbeddingEndpoints
{
    /// <summary>Memories per grain call of a re-embedding: a few seconds of the model's work at most.</summary>
    private const int SliceSize = 512;

    public static void MapUserEmbeddingEndpoints(this RouteGroupBuilder v1)
    {
        var user = v1.MapGroup("/users/{userId}").WithTags("Users");
        user.MapGet("/embedding-pipeline", GetAsync).RequireAuthorization(Scopes.Read)
            .WithSummary("Which text pipeline made the user's embeddings, against the silo's.");
        user.MapPost("/reembed", ReembedAsync).RequireAuthorization(Scopes.Write)
            .WithSummary("Embeds every memory's text again with the silo's pipeline when it differs from the recorded one (or with {\"force\":true}).");
    }

    private static IUserEmbeddingsGrain Grain(HttpContext http, IGrainFactory grains, string userId)
    {
        http.User.CheckPinnedUser(userId);
        return grains.GetGrain<IUserEmbeddingsGrain>(Ids.GrainKey(http.Tenant(), userId, "user_id"));
    }

    private static async Task<Ok<EmbeddingPipelineStatus>> GetAsync(HttpContext http, IGrainFactory grains, string userId, CancellationToken ct) =>
        TypedResults.Ok(await Grain(http, grains, userId).GetEmbeddingPipelineAsync(ct));

    /// <summary>Calls the grain slice by slice until every memory is done; a cancelled request leaves the rest for the
    /// next one (the grain records how far it got).</summary>
    private static async Task<Ok<ReembedProgress>> ReembedAsync(HttpContext http, IGrainFactory grains, string userId,
        [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] ReembedRequest? body, CancellationToken ct)
    {
        var grain = Grain(http, grains, userId);
        var progress = await grain.ReembedAsync(SliceSize, body?.Force ?? false, ct);
        var total = progress.Reembedded;
        while (progress.Remaining > 0)
        {
            progress = await grain.ReembedAsync(SliceSize, false, ct);
            total += progress.Reembedded;
        }

        return TypedResults.Ok(progress with { Reembedded = total });
    }
}

/// <summary>The optional body of <c>POST /v1/users/{id}/reembed</c>.</summary>
/// <param name="Force">Re-embed even when the recorded pipeline is the silo's.</param>
internal sealed record ReembedRequest(bool Force = false);
