using System.ComponentModel;
using System.Security.Claims;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using OrleansMemory.Abstractions;
using OrleansMemory.Silo.Api;

namespace OrleansMemory.Silo.Mcp;

/// <summary>The memory tools, named as mem0's MCP server names them so that its clients switch easily. Each calls the
/// same grain method with the same validation as its HTTP route and needs the same scope. Parameter names are the wire
/// names (snake_case), as MCP clients see them in the input schema.</summary>
[McpServerToolType]
internal sealed class MemoryTools(IGrainFactory grains, ApiLimits limits)
{
    private const string UserIdHelp = "The user; omitted: the user the API key is pinned to.";

    /// <summary>POST /v1/users/{user_id}/memories.</summary>
    [McpServerTool(Name = "add_memory", Title = "Add a memory", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Remembers a fact, preference, event or instruction about the user. A near-duplicate is absorbed by the existing memory; a contradiction is recorded as a conflict.")]
    public async Task<CallToolResult> AddMemoryAsync(
        ClaimsPrincipal? user,
        [Description("What to remember, as one self-contained statement.")] string text,
        [Description(UserIdHelp)] string? user_id = null,
        [Description("fact, preference, event, instruction or another type; default fact.")] string? type = null,
        [Description("0..1; default 0.5.")] double? importance = null,
        [Description("Free-form JSON metadata.")] IReadOnlyDictionary<string, JsonElement>? metadata = null,
        [Description(McpIdempotency.Help)] string? idempotency_key = null,
        CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.Of(user).Require(Scopes.Write);
        var userId = caller.User(user_id);
        var result = await caller.UserGrain(grains, userId).AddMemoryAsync(
            text, null, type ?? MemoryTypes.Fact, importance ?? 0.5, metadata, McpIdempotency.Check(idempotency_key), cancellationToken).ConfigureAwait(false);
        return caller.CanRead ? McpResults.Ok(result.AsSent(userId)) : McpResults.Ok(WriteReceipt.Of(result));
    }

    /// <summary>POST /v1/users/{user_id}/memories/search with a query text.</summary>
    [McpServerTool(Name = "search_memories", Title = "Search memories", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("The user's memories most similar in meaning to the query, best first, each with its score.")]
    public async Task<CallToolResult> SearchMemoriesAsync(
        ClaimsPrincipal? user,
        [Description("What to look for, in natural language.")] string query,
        [Description(UserIdHelp)] string? user_id = null,
        [Description("How many results, 1..1000; default 10.")] int? top_k = null,
        [Description("Conditions every result meets: types, min_importance, created_after, created_before, metadata, include_archived.")] MemoryFilter? filter = null,
        CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.Of(user).Require(Scopes.Read);
        var userId = caller.User(user_id);
        if (string.IsNullOrWhiteSpace(query))
        {
            throw new ApiValidationException("query", "query must be non-empty text.");
        }

        return McpResults.Ok(await caller.UserGrain(grains, userId)
            .SearchTextAsync(query, top_k ?? 10, 0, filter, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>GET /v1/users/{user_id}/memories.</summary>
    [McpServerTool(Name = "get_memories", Title = "List memories", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("The user's active memories, oldest first, a page at a time, with the total count.")]
    public async Task<CallToolResult> GetMemoriesAsync(
        ClaimsPrincipal? user,
        [Description(UserIdHelp)] string? user_id = null,
        [Description("Page size; default 100.")] int? limit = null,
        [Description("How many to skip; default 0.")] int? offset = null,
        CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.Of(user).Require(Scopes.Read);
        var userId = caller.User(user_id);
        ApiLimits.NonNegative(offset ?? 0, "offset");
        return McpResults.Ok(await caller.UserGrain(grains, userId)
            .ListMemoriesAsync(offset ?? 0, limits.Page(limit ?? 100), false, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>GET /v1/users/{user_id}/memories/{memory_id}.</summary>
    [McpServerTool(Name = "get_memory", Title = "Get a memory", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("One memory of the user by id.")]
    public async Task<CallToolResult> GetMemoryAsync(
        ClaimsPrincipal? user,
        [Description("The memory's id.")] string memory_id,
        [Description(UserIdHelp)] string? user_id = null,
        CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.Of(user).Require(Scopes.Read);
        var userId = caller.User(user_id);
        return McpResults.Ok(await caller.UserGrain(grains, userId).GetMemoryAsync(memory_id, cancellationToken).ConfigureAwait(false)
            ?? throw new MemoryNotFoundException($"User '{userId}' has no memory '{memory_id}'."));
    }

    /// <summary>PATCH /v1/users/{user_id}/memories/{memory_id} with a new text.</summary>
    [McpServerTool(Name = "update_memory", Title = "Update a memory", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Replaces a memory's text (re-embedded; its history keeps the old text).")]
    public async Task<CallToolResult> UpdateMemoryAsync(
        ClaimsPrincipal? user,
        [Description("The memory's id.")] string memory_id,
        [Description("The new text.")] string text,
        [Description(UserIdHelp)] string? user_id = null,
        CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.Of(user).Require(Scopes.Write);
        var userId = caller.User(user_id);
        var memory = await caller.UserGrain(grains, userId)
            .UpdateMemoryAsync(memory_id, new MemoryUpdate(Text: text), cancellationToken).ConfigureAwait(false);
        return caller.CanRead ? McpResults.Ok(memory) : McpResults.Ok(new WriteReceipt(memory.Id, "updated", []));
    }

    /// <summary>DELETE /v1/users/{user_id}/memories/{memory_id}.</summary>
    [McpServerTool(Name = "delete_memory", Title = "Delete a memory", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = false)]
    [Description("Deletes one memory of the user (its history keeps the deletion).")]
    public async Task<CallToolResult> DeleteMemoryAsync(
        ClaimsPrincipal? user,
        [Description("The memory's id.")] string memory_id,
        [Description(UserIdHelp)] string? user_id = null,
        CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.Of(user).Require(Scopes.Write);
        var userId = caller.User(user_id);
        return await caller.UserGrain(grains, userId).DeleteMemoryAsync(memory_id, null, cancellationToken).ConfigureAwait(false)
            ? McpResults.Ok(new DeletedResult(memory_id, true))
            : throw new MemoryNotFoundException($"User '{userId}' has no memory '{memory_id}'.");
    }

    /// <summary>DELETE /v1/users/{user_id} (admin).</summary>
    [McpServerTool(Name = "delete_all_memories", Title = "Erase the user", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Erases every record of the user: memories, their history, conflicts and short-term messages. Needs an admin key.")]
    public async Task<CallToolResult> DeleteAllMemoriesAsync(
        ClaimsPrincipal? user,
        [Description(UserIdHelp)] string? user_id = null,
        CancellationToken cancellationToken = default)
    {
        var caller = McpCaller.Of(user).Require(Scopes.Admin);
        var userId = caller.User(user_id);
        await caller.UserGrain(grains, userId).DeleteAllDataAsync(cancellationToken).ConfigureAwait(false);
        return McpResults.Ok(new ErasedResult(userId, true));
    }
}

/// <summary>What <c>delete_memory</c> answers.</summary>
/// <param name="MemoryId">The deleted memory.</param>
/// <param name="Deleted">Always true (a missing memory is a not-found error).</param>
internal sealed record DeletedResult(string MemoryId, bool Deleted);

/// <summary>What <c>delete_all_memories</c> answers.</summary>
/// <param name="UserId">The erased user.</param>
/// <param name="Erased">Always true.</param>
internal sealed record ErasedResult(string UserId, bool Erased);
