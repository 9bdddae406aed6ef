using Microsoft.AspNetCore.Http.HttpResults;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Silo.Api;

/// <summary>/v1/users/{userId}/retention: how much history, how many resolved conflicts and how old short-term messages
/// a user keeps (null fields: the silo's defaults, <c>OrleansMemory:Grains:Retention</c>).</summary>
internal static class UserRetentionEndpoints
{
    public static void MapUserRetentionEndpoints(this RouteGroupBuilder v1)
    {
        var user = v1.MapGroup("/users/{userId}").WithTags("Users");
        user.MapGet("/retention", GetAsync).RequireAuthorization(Scopes.Read).WithSummary("The user's retention limits, as applied.");
        user.MapPut("/retention", SetAsync).RequireAuthorization(Scopes.Write)
            .WithSummary("Sets the user's retention limits (ages as d.hh:mm:ss) and applies them; old items go by whole pages.");
    }

    private static async Task<Ok<RetentionSettings>> GetAsync(HttpContext http, IGrainFactory grains, string userId, CancellationToken ct) =>
        TypedResults.Ok(await UserMemoryEndpoints.Grain(http, grains, userId).GetRetentionAsync(ct));

    private static async Task<Ok<RetentionSettings>> SetAsync(HttpContext http, IGrainFactory grains, string userId, RetentionSettings body, CancellationToken ct) =>
        TypedResults.Ok(await UserMemoryEndpoints.Grain(http, grains, userId).SetRetentionAsync(body, ct));
}
