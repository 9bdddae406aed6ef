using Microsoft.AspNetCore.Http.HttpResults;
using OrleansMemory.Abstractions;
using OrleansMemory.Silo.Api.Requests;

namespace OrleansMemory.Silo.Api;

/// <summary>/v1/users/{userId}/conflicts and /short-term.</summary>
internal static class UserConflictEndpoints
{
    public static void MapUserConflictEndpoints(this RouteGroupBuilder v1)
    {
        var user = v1.MapGroup("/users/{userId}").WithTags("Users");
        user.MapGet("/conflicts", GetConflictsAsync).RequireAuthorization(Scopes.Read).WithSummary("Conflicts, optionally with one status.");
        user.MapGet("/conflicts/pending", GetPendingAsync).RequireAuthorization(Scopes.Read).WithSummary("Conflicts waiting for a decision.");
        user.MapPost("/conflicts/{conflictId}/resolve", ResolveAsync).RequireAuthorization(Scopes.Write).WithSummary("Resolves a conflict.");
        user.MapPost("/conflicts/{conflictId}/escalate", EscalateAsync).RequireAuthorization(Scopes.Write).WithSummary("Escalates a conflict.");

        user.MapPost("/short-term", AddShortTermAsync).RequireAuthorization(Scopes.Write).WithSummary("Adds messages to short-term memory.");
        user.MapGet("/short-term", GetShortTermAsync).RequireAuthorization(Scopes.Read).WithSummary("The most recent short-term messages.");
        user.MapDelete("/short-term", ClearShortTermAsync).RequireAuthorization(Scopes.Write).WithSummary("Empties short-term memory.");
        user.MapPut("/short-term/capacity", SetCapacityAsync).RequireAuthorization(Scopes.Write).WithSummary("Sets the short-term capacity.");
    }

    private static IUserGrain Grain(HttpContext http, IGrainFactory grains, string userId) => UserMemoryEndpoints.Grain(http, grains, userId);

    private static async Task<Ok<IReadOnlyList<MemoryConflict>>> GetConflictsAsync(
        HttpContext http, IGrainFactory grains, string userId, CancellationToken ct, string? status = null)
    {
        ConflictStatus? parsed = status switch
        {
            null or "" => null,
            "pending" => ConflictStatus.Pending,
            "resolved" => ConflictStatus.Resolved,
            "escalated" => ConflictStatus.Escalated,
            "auto_resolved" => ConflictStatus.AutoResolved,
            _ => throw new ApiValidationException("status", $"status must be pending, resolved, escalated or auto_resolved (was '{status}')."),
        };
        return TypedResults.Ok((await Grain(http, grains, userId).GetConflictsAsync(parsed, ct)).AsSent(userId));
    }

    private static async Task<Ok<IReadOnlyList<MemoryConflict>>> GetPendingAsync(HttpContext http, IGrainFactory grains, string userId, CancellationToken ct) =>
        TypedResults.Ok((await Grain(http, grains, userId).GetPendingConflictsAsync(ct)).AsSent(userId));

    private static async Task<IResult> ResolveAsync(
        HttpContext http, IGrainFactory grains, ApiLimits limits, string userId, string conflictId, ConflictResolution body, CancellationToken ct)
    {
        var key = IdempotencyHeader.Of(http);
        limits.Embedding(body.MergedEmbedding, "merged_embedding");
        if (body.Kind == ConflictResolutionKind.Merge && string.IsNullOrWhiteSpace(body.MergedText))
        {
            throw new ApiValidationException("merged_text", "A merge needs merged_text.");
        }

        return ApiViews.Reveal(http, await Grain(http, grains, userId).ResolveConflictAsync(conflictId, body, key, ct), userId, "resolved");
    }

    private static async Task<IResult> EscalateAsync(
        HttpContext http, IGrainFactory grains, ApiLimits limits, string userId, string conflictId, EscalateRequest? body, CancellationToken ct)
    {
        return ApiViews.Reveal(http, await Grain(http, grains, userId).EscalateConflictAsync(conflictId, body?.Reason, ct), userId, "escalated");
    }

    private static async Task<NoContent> AddShortTermAsync(
        HttpContext http, IGrainFactory grains, ApiLimits limits, string userId, ShortTermRequest body, CancellationToken ct)
    {
        await Grain(http, grains, userId).AddShortTermMessagesAsync(limits.Batch(body.Messages, "messages"), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<ShortTermMessage>>> GetShortTermAsync(
        HttpContext http, IGrainFactory grains, string userId, CancellationToken ct, int? count = null)
    {
        if (count is < 1)
        {
            throw new ApiValidationException("count", $"count must be 1 or more (was {count}).");
        }

        return TypedResults.Ok(await Grain(http, grains, userId).GetShortTermMessagesAsync(count, ct));
    }

    private static async Task<NoContent> ClearShortTermAsync(HttpContext http, IGrainFactory grains, string userId, CancellationToken ct)
    {
        await Grain(http, grains, userId).ClearShortTermAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> SetCapacityAsync(HttpContext http, IGrainFactory grains, string userId, CapacityRequest body, CancellationToken ct)
    {
        if (body.MaxMessages is < 1 or > 10_000)
        {
            throw new ApiValidationException("max_messages", $"max_messages must be 1-10000 (was {body.MaxMessages}).");
        }

        await Grain(http, grains, userId).SetShortTermCapacityAsync(body.MaxMessages, ct);
        return TypedResults.NoContent();
    }
}
