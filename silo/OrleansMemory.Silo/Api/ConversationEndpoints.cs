using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansMemory.Abstractions;
using OrleansMemory.Silo.Api.Requests;

namespace OrleansMemory.Silo.Api;

/// <summary>/v1/conversations: documents, raw messages, chunks, memory formation records (and formation, see
/// <see cref="ConversationFormationEndpoints"/>).</summary>
internal static class ConversationEndpoints
{
    public static void MapConversationEndpoints(this RouteGroupBuilder v1)
    {
        var all = v1.MapGroup("/conversations").WithTags("Conversations");
        all.MapGet("", ListAsync).RequireAuthorization(Scopes.Read).WithSummary("Conversations of the tenant, in registration order.");

        var one = all.MapGroup("/{conversationId}");
        one.MapPut("/document", StoreDocumentAsync).RequireAuthorization(Scopes.Write).WithSummary("Stores the conversation document (any JSON).");
        one.MapGet("/document", LoadDocumentAsync).RequireAuthorization(Scopes.Read).WithSummary("The conversation document.");
        one.MapPost("/messages", AppendMessagesAsync).RequireAuthorization(Scopes.Write).WithSummary("Appends raw messages.");
        one.MapPut("/messages", ReplaceMessagesAsync).RequireAuthorization(Scopes.Write).WithSummary("Replaces the whole raw history.");
        one.MapGet("/messages", GetMessagesAsync).RequireAuthorization(Scopes.Read).WithSummary("Raw messages after a sequence number.");
        one.MapGet("/messages/range", GetMessagesInRangeAsync).RequireAuthorization(Scopes.Read).WithSummary("Raw messages with from <= timestamp < to.");
        one.MapPut("/chunks", StoreChunksAsync).RequireAuthorization(Scopes.Write).WithSummary("Replaces the chunking decisions.");
        one.MapGet("/chunks", LoadChunksAsync).RequireAuthorization(Scopes.Read).WithSummary("Every chunk.");
        one.MapGet("/chunks/{chunkId}", GetChunkAsync).RequireAuthorization(Scopes.Read).WithSummary("One chunk.");
        one.MapPost("/memory-records", StoreRecordAsync).RequireAuthorization(Scopes.Write).WithSummary("Stores a memory formation record (same id replaces).");
        one.MapGet("/memory-records", LoadRecordsAsync).RequireAuthorization(Scopes.Read).WithSummary("Memory formation records.");
        one.MapGet("/stats", GetStatsAsync).RequireAuthorization(Scopes.Read).WithSummary("Figures of the conversation.");
        one.MapDelete("", DeleteAsync).RequireAuthorization(Scopes.Write).WithSummary("Deletes everything of the conversation.");
        one.MapFormationEndpoints();
    }

    private static IConversationGrain Grain(HttpContext http, IGrainFactory grains, string conversationId) =>
        grains.GetGrain<IConversationGrain>(Ids.GrainKey(http.Tenant(), conversationId, "conversation_id"));

    private static Task TouchAsync(HttpContext http, IGrainFactory grains, string conversationId, CancellationToken ct) =>
        grains.GetGrain<IConversationDirectoryGrain>(http.Tenant()).TouchAsync(conversationId, ct);

    private static async Task<Ok<IReadOnlyList<ConversationEntry>>> ListAsync(
        HttpContext http, IGrainFactory grains, ApiLimits limits, CancellationToken ct, int offset = 0, int limit = 100)
    {
        ApiLimits.NonNegative(offset, "offset");
        return TypedResults.Ok(await grains.GetGrain<IConversationDirectoryGrain>(http.Tenant()).ListAsync(offset, limits.Page(limit), ct));
    }

    private static async Task<NoContent> StoreDocumentAsync(HttpContext http, IGrainFactory grains, string conversationId, JsonElement document, CancellationToken ct)
    {
        await Grain(http, grains, conversationId).StoreDocumentAsync(document, ct);
        await TouchAsync(http, grains, conversationId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<JsonElement>> LoadDocumentAsync(HttpContext http, IGrainFactory grains, string conversationId, CancellationToken ct) =>
        TypedResults.Ok(await Grain(http, grains, conversationId).LoadDocumentAsync(ct)
            ?? throw new MemoryNotFoundException($"No document is stored for conversation '{conversationId}'."));

    private static async Task<Created<SequencesResponse>> AppendMessagesAsync(
        HttpContext http, IGrainFactory grains, ApiLimits limits, string conversationId, AppendMessagesRequest body, CancellationToken ct)
    {
        var messages = limits.Batch(body.Messages, "messages").Select(m => m.ToRawMessage()).ToList();
        var conversation = Grain(http, grains, conversationId);
        IReadOnlyList<long> sequences;
        if (body.UserId is { } userId)
        {
            http.User.CheckPinnedUser(userId);
            sequences = await conversation.AppendMessagesForUserAsync(Ids.GrainKey(http.Tenant(), userId, "user_id"), messages, ct);
        }
        else
        {
            sequences = await conversation.AppendMessagesAsync(messages, ct);
        }

        await TouchAsync(http, grains, conversationId, ct);
        return TypedResults.Created($"{http.Request.Path}?after={sequences[0] - 1}", new SequencesResponse(sequences));
    }

    private static async Task<NoContent> ReplaceMessagesAsync(
        HttpContext http, IGrainFactory grains, ApiLimits limits, string conversationId, MessagesRequest body, CancellationToken ct)
    {
        var messages = limits.Batch(body.Messages, "messages", allowEmpty: true).Select(m => m.ToRawMessage()).ToList();
        await Grain(http, grains, conversationId).ReplaceMessagesAsync(messages, ct);
        await TouchAsync(http, grains, conversationId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<MessagePage>> GetMessagesAsync(
        HttpContext http, IGrainFactory grains, ApiLimits limits, string conversationId, CancellationToken ct, long after = 0, int limit = 100)
    {
        ApiLimits.NonNegative(after, "after");
        return TypedResults.Ok(await Grain(http, grains, conversationId).GetMessagesAsync(after, limits.Page(limit), ct));
    }

    private static async Task<Ok<IReadOnlyList<RawMessage>>> GetMessagesInRangeAsync(
        HttpContext http, IGrainFactory grains, string conversationId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        if (to < from)
        {
            throw new ApiValidationException("to", $"to ({to:O}) must not be before from ({from:O}).");
        }

        return TypedResults.Ok(await Grain(http, grains, conversationId).GetMessagesInRangeAsync(from, to, ct));
    }

    private static async Task<NoContent> StoreChunksAsync(
        HttpContext http, IGrainFactory grains, ApiLimits limits, string conversationId, ChunksRequest body, CancellationToken ct)
    {
        await Grain(http, grains, conversationId).StoreChunksAsync(limits.Batch(body.Chunks, "chunks", allowEmpty: true), ct);
        await TouchAsync(http, grains, conversationId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<ConversationChunk>>> LoadChunksAsync(HttpContext http, IGrainFactory grains, string conversationId, CancellationToken ct) =>
        TypedResults.Ok(await Grain(http, grains, conversationId).LoadChunksAsync(ct));

    private static async Task<Ok<ConversationChunk>> GetChunkAsync(
        HttpContext http, IGrainFactory grains, string conversationId, string chunkId, CancellationToken ct) =>
        TypedResults.Ok(await Grain(http, grains, conversationId).GetChunkAsync(chunkId, ct)
            ?? throw new MemoryNotFoundException($"Conversation '{conversationId}' has no chunk '{chunkId}'."));

    private static async Task<NoContent> StoreRecordAsync(
        HttpContext http, IGrainFactory grains, string conversationId, MemoryFormationRecord body, CancellationToken ct)
    {
        await Grain(http, grains, conversationId).StoreFormationRecordAsync(body, ct);
        await TouchAsync(http, grains, conversationId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<MemoryFormationRecord>>> LoadRecordsAsync(
        HttpContext http, IGrainFactory grains, ApiLimits limits, string conversationId, CancellationToken ct, int offset = 0, int limit = 1000)
    {
        ApiLimits.NonNegative(offset, "offset");
        return TypedResults.Ok(await Grain(http, grains, conversationId).LoadFormationRecordsAsync(offset, limits.Page(limit), ct));
    }

    private static async Task<Ok<ConversationStats>> GetStatsAsync(HttpContext http, IGrainFactory grains, string conversationId, CancellationToken ct) =>
        TypedResults.Ok(await Grain(http, grains, conversationId).GetStatsAsync(ct));

    private static async Task<NoContent> DeleteAsync(HttpContext http, IGrainFactory grains, string conversationId, CancellationToken ct)
    {
        await Grain(http, grains, conversationId).DeleteAsync(ct);
        await grains.GetGrain<IConversationDirectoryGrain>(http.Tenant()).RemoveAsync(conversationId, ct);
        return TypedResults.NoContent();
    }
}
