using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OrleansMemory.Abstractions;
using OrleansMemory.Silo.Api.Requests;

namespace OrleansMemory.Silo.Api;

/// <summary>/v1/users/{userId}/memories: long-term semantic memories; and erasing a user.</summary>
internal static class UserMemoryEndpoints
{
    public static void MapUserMemoryEndpoints(this RouteGroupBuilder v1)
    {
        var user = v1.MapGroup("/users/{userId}").WithTags("Users");
        user.MapGet("/stats", GetStatsAsync).RequireAuthorization(Scopes.Read).WithSummary("Figures of the user.");
        user.MapDelete("", EraseAsync).RequireAuthorization(Scopes.Admin).WithSummary("Erases every record of the user (admin).");

        var memories = user.MapGroup("/memories");
        memories.MapPost("", AddAsync).RequireAuthorization(Scopes.Write).WithSummary("Adds a memory, detecting duplicates and conflicts.");
        memories.MapPost("/import", ImportAsync).RequireAuthorization(Scopes.Write).WithSummary("Imports memories as given.");
        memories.MapPost("/search", SearchAsync).RequireAuthorization(Scopes.Read).WithSummary("The memories most similar to an embedding or a text.");
        memories.MapGet("", ListAsync).RequireAuthorization(Scopes.Read).WithSummary("Memories, oldest first.");
        memories.MapGet("/{memoryId}", GetAsync).RequireAuthorization(Scopes.Read).WithSummary("One memory.");
        memories.MapGet("/{memoryId}/embedding", GetEmbeddingAsync).RequireAuthorization(Scopes.Read).WithSummary("A memory's embedding.");
        memories.MapPatch("/{memoryId}", UpdateAsync).RequireAuthorization(Scopes.Write).WithSummary("Changes a memory.");
        memories.MapPost("/{memoryId}/archive", ArchiveAsync).RequireAuthorization(Scopes.Write).WithSummary("Archives a memory.");
        memories.MapDelete("/{memoryId}", DeleteAsync).RequireAuthorization(Scopes.Write).WithSummary("Deletes a memory (its history keeps the deletion).");
        memories.MapGet("/{memoryId}/history", GetHistoryAsync).RequireAuthorization(Scopes.Read).WithSummary("Every event of a memory.");
    }

    internal static IUserGrain Grain(HttpContext http, IGrainFactory grains, string userId)
    {
        http.User.CheckPinnedUser(userId);
        return grains.GetGrain<IUserGrain>(Ids.GrainKey(http.Tenant(), userId, "user_id"));
    }

    private static async Task<Ok<UserMemoryStats>> GetStatsAsync(HttpContext http, IGrainFactory grains, string userId, CancellationToken ct) =>
        TypedResults.Ok(await Grain(http, grains, userId).GetStatsAsync(ct));

    private static async Task<NoContent> EraseAsync(HttpContext http, IGrainFactory grains, string userId, CancellationToken ct)
    {
        await Grain(http, grains, userId).DeleteAllDataAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> AddAsync(
        HttpContext http, IGrainFactory grains, ApiLimits limits, string userId, AddMemoryRequest body, CancellationToken ct)
    {
        var key = IdempotencyHeader.Of(http);
        var result = await Grain(http, grains, userId).AddMemoryAsync(
            body.Text, limits.Embedding(body.Embedding), body.Type, body.Importance, body.Metadata, key, ct);
        object view = http.CanRead() ? result.AsSent(userId) : WriteReceipt.Of(result);
        return result.Outcome == AddMemoryOutcome.Duplicate
            ? TypedResults.Ok(view)
            : TypedResults.Created($"{http.Request.Path}/{result.Memory.Id}", view);
    }

    private static async Task<Ok<IdsResponse>> ImportAsync(
        HttpContext http, IGrainFactory grains, ApiLimits limits, string userId, ImportMemoriesRequest body, CancellationToken ct)
    {
        var key = IdempotencyHeader.Of(http);
        var memories = limits.Batch(body.Memories, "memories");
        for (var i = 0; i < memories.Count; i++)
        {
            limits.Embedding(memories[i].Embedding ?? throw new ApiValidationException($"memories[{i}].embedding", "Every imported memory needs an embedding."),
                $"memories[{i}].embedding");
        }

        return TypedResults.Ok(new IdsResponse(await Grain(http, grains, userId).ImportMemoriesAsync(memories, key, ct)));
    }

    private static async Task<Ok<IReadOnlyList<MemorySearchResult>>> SearchAsync(
        HttpContext http, IGrainFactory grains, ApiLimits limits, string userId, SearchRequest body, CancellationToken ct)
    {
        var grain = Grain(http, grains, userId);
        return (body.Embedding, body.Query) switch
        {
            ({ } embedding, null) => TypedResults.Ok(await grain.SearchAsync(limits.Embedding(embedding)!, body.TopK, body.MinScore, body.Filter, ct)),
            (null, { } query) when !string.IsNullOrWhiteSpace(query) => TypedResults.Ok(await grain.SearchTextAsync(query, body.TopK, body.MinScore, body.Filter, ct)),
            _ => throw new ApiValidationException("embedding", "Give exactly one of embedding (numbers) and query (non-empty text)."),
        };
    }

    private static async Task<Ok<MemoryPage>> ListAsync(
        HttpContext http, IGrainFactory grains, ApiLimits limits, string userId, CancellationToken ct,
        int offset = 0, int limit = 100, [FromQuery(Name = "include_archived")] bool includeArchived = false)
    {
        ApiLimits.NonNegative(offset, "offset");
        return TypedResults.Ok(await Grain(http, grains, userId).ListMemoriesAsync(offset, limits.Page(limit), includeArchived, ct));
    }

    private static async Task<Ok<SemanticMemory>> GetAsync(HttpContext http, IGrainFactory grains, string userId, string memoryId, CancellationToken ct) =>
        TypedResults.Ok(await Grain(http, grains, userId).GetMemoryAsync(memoryId, ct)
            ?? throw new MemoryNotFoundException($"User '{userId}' has no memory '{memoryId}'."));

    private static async Task<Ok<EmbeddingResponse>> GetEmbeddingAsync(HttpContext http, IGrainFactory grains, string userId, string memoryId, CancellationToken ct)
    {
        var embedding = await Grain(http, grains, userId).GetEmbeddingAsync(memoryId, ct)
            ?? throw new MemoryNotFoundException($"User '{userId}' has no memory '{memoryId}'.");
        return TypedResults.Ok(new EmbeddingResponse(memoryId, embedding.Length, embedding));
    }

    private static async Task<IResult> UpdateAsync(
        HttpContext http, IGrainFactory grains, ApiLimits limits, string userId, string memoryId, MemoryUpdate body, CancellationToken ct)
    {
        limits.Embedding(body.Embedding);
        return ApiViews.Reveal(http, await Grain(http, grains, userId).UpdateMemoryAsync(memoryId, body, ct), "updated");
    }

    private static async Task<IResult> ArchiveAsync(
        HttpContext http, IGrainFactory grains, ApiLimits limits, string userId, string memoryId, ArchiveRequest? body, CancellationToken ct)
    {
        return ApiViews.Reveal(http, await Grain(http, grains, userId).ArchiveMemoryAsync(memoryId, body?.SupersededBy, body?.Reason, ct), "archived");
    }

    private static async Task<NoContent> DeleteAsync(
        HttpContext http, IGrainFactory grains, string userId, string memoryId, CancellationToken ct, string? reason = null) =>
        await Grain(http, grains, userId).DeleteMemoryAsync(memoryId, reason, ct)
            ? TypedResults.NoContent()
            : throw new MemoryNotFoundException($"User '{userId}' has no memory '{memoryId}'.");

    private static async Task<Ok<IReadOnlyList<MemoryHistoryEvent>>> GetHistoryAsync(
        HttpContext http, IGrainFactory grains, string userId, string memoryId, CancellationToken ct) =>
        TypedResults.Ok(await Grain(http, grains, userId).GetHistoryAsync(memoryId, ct));
}
