using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace OrleansMemory.Silo.Tests;

/// <summary>The silo's MCP server at /mcp through the C# SDK's real client over a loopback socket: tools listed with their
/// annotations, every tool called, scopes refused as tool errors, tenants isolated, a pinned-user key.</summary>
public sealed class McpServerTests(McpSiloFixture silo) : IClassFixture<McpSiloFixture>
{
    private static readonly string[] ToolNames =
    [
        "add_memory", "append_messages", "delete_all_memories", "delete_memory", "get_memories", "get_memory", "get_memory_context",
        "get_messages", "get_pending_conflicts", "resolve_conflict", "search_memories", "update_memory",
    ];

    [Fact]
    public async Task Lists_every_tool_with_its_annotations()
    {
        await using var client = await silo.ConnectAsync(McpSiloFixture.ReadWriteA);
        Assert.Equal("OrleansMemory", client.ServerInfo!.Name);
        Assert.Contains("search_memories", client.ServerInstructions, StringComparison.Ordinal);
        var tools = await client.ListToolsAsync();
        Assert.Equal(ToolNames, tools.Select(t => t.Name).Order(StringComparer.Ordinal));

        var byName = tools.ToDictionary(t => t.Name, t => t.ProtocolTool);
        Assert.True(byName["search_memories"].Annotations!.ReadOnlyHint);
        Assert.True(byName["get_memories"].Annotations!.IdempotentHint);
        Assert.False(byName["add_memory"].Annotations!.ReadOnlyHint);
        Assert.False(byName["add_memory"].Annotations!.DestructiveHint);
        Assert.True(byName["delete_all_memories"].Annotations!.DestructiveHint);
        Assert.True(byName["delete_memory"].Annotations!.DestructiveHint);
        var addSchema = byName["add_memory"].InputSchema;
        Assert.Equal(["text"], addSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.True(addSchema.GetProperty("properties").TryGetProperty("user_id", out _));
    }

    [Fact]
    public async Task Memory_tools_add_search_list_get_update_and_delete_in_the_api_shapes()
    {
        await using var client = await silo.ConnectAsync(McpSiloFixture.ReadWriteA);
        var user = Http.NewId("user");
        var nurse = await Ok(client, "add_memory", new() { ["text"] = "I work as a pediatric nurse at St. Mary's hospital", ["user_id"] = user, ["importance"] = 0.8 });
        Assert.Equal("added", nurse.GetProperty("outcome").GetString());
        var nurseId = nurse.GetProperty("memory").GetProperty("id").GetString()!;
        await Ok(client, "add_memory", new() { ["text"] = "I am allergic to peanuts", ["user_id"] = user, ["type"] = "fact" });

        var found = await Ok(client, "search_memories", new() { ["query"] = "What does she do for a living?", ["user_id"] = user, ["top_k"] = 1 });
        var first = Assert.Single(found.GetProperty("results").EnumerateArray());
        Assert.Equal(nurseId, first.GetProperty("memory").GetProperty("id").GetString());
        Assert.True(first.GetProperty("score").GetDouble() > 0);

        var page = await Ok(client, "get_memories", new() { ["user_id"] = user, ["limit"] = 10 });
        Assert.Equal(2, page.GetProperty("total_count").GetInt32());
        Assert.Equal(2, page.GetProperty("memories").GetArrayLength());

        var one = await Ok(client, "get_memory", new() { ["memory_id"] = nurseId, ["user_id"] = user });
        Assert.Equal(0.8, one.GetProperty("importance").GetDouble());

        var updated = await Ok(client, "update_memory", new() { ["memory_id"] = nurseId, ["text"] = "I work as a school nurse", ["user_id"] = user });
        Assert.Equal("I work as a school nurse", updated.GetProperty("text").GetString());

        var deleted = await Ok(client, "delete_memory", new() { ["memory_id"] = nurseId, ["user_id"] = user });
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        var missing = await Error(client, "get_memory", new() { ["memory_id"] = nurseId, ["user_id"] = user });
        Assert.Equal(404, missing.GetProperty("status").GetInt32());
        Assert.Contains($"has no memory '{nurseId}'", missing.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conversation_conflict_and_agent_tools_work()
    {
        await using var client = await silo.ConnectAsync(McpSiloFixture.ReadWriteA);
        var conversation = Http.NewId("conv");
        var messages = Json("""[{"role":"user","content":"Hi, I moved to Lisbon"},{"role":"assistant","content":"Noted!"}]""");
        var appended = await Ok(client, "append_messages", new() { ["conversation_id"] = conversation, ["messages"] = messages });
        Assert.Equal([1L, 2L], appended.GetProperty("sequences").EnumerateArray().Select(e => e.GetInt64()));
        var read = await Ok(client, "get_messages", new() { ["conversation_id"] = conversation, ["after"] = 1 });
        Assert.Equal("Noted!", Assert.Single(read.GetProperty("messages").EnumerateArray()).GetProperty("content").GetString());

        // user_id names the conversation's user (the silo-wide formation default forms for it): another user is refused.
        using (var formation = new HttpClient { BaseAddress = silo.Address })
        {
            formation.DefaultRequestHeaders.Authorization = new("Bearer", McpSiloFixture.ReadWriteA);
            await formation.PutAsync($"/v1/conversations/{conversation}/formation", Http.Body("""{"user_id":"carol"}""")).Expect(200);
        }

        var more = Json("""[{"role":"user","content":"I'm a baker."}]""");
        var named = await Ok(client, "append_messages", new() { ["conversation_id"] = conversation, ["messages"] = more, ["user_id"] = "carol" });
        Assert.Equal([3L], named.GetProperty("sequences").EnumerateArray().Select(e => e.GetInt64()));
        var other = await Error(client, "append_messages", new() { ["conversation_id"] = conversation, ["messages"] = more, ["user_id"] = "dave" });
        Assert.Equal((400, "user_id"), (other.GetProperty("status").GetInt32(), other.GetProperty("errors").EnumerateObject().Single().Name));
        await using (var pinned = await silo.ConnectAsync(McpSiloFixture.PinnedA))
        {
            var forbidden = await Error(pinned, "append_messages", new() { ["conversation_id"] = conversation, ["messages"] = more, ["user_id"] = "carol" });
            Assert.Equal(403, forbidden.GetProperty("status").GetInt32());
        }

        // The conflict is set up through the HTTP API with hand-made embeddings in the contradiction band.
        var user = Http.NewId("user");
        using var http = new HttpClient { BaseAddress = silo.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", McpSiloFixture.ReadWriteA);
        await http.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"I live in Berlin","embedding":[1,0,0]}""")).Expect(201);
        await http.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"I live in Lisbon","embedding":[0.9,0.3,0]}""")).Expect(201);
        var pending = await Ok(client, "get_pending_conflicts", new() { ["user_id"] = user });
        var conflicts = pending.GetProperty("results").EnumerateArray().ToList();
        Assert.Single(conflicts);
        var conflictId = conflicts[0].GetProperty("id").GetString()!;
        Assert.Equal(user, conflicts[0].GetProperty("user_id").GetString());

        var badKind = await Error(client, "resolve_conflict", new() { ["conflict_id"] = conflictId, ["kind"] = "keep_neither", ["user_id"] = user });
        Assert.Equal(400, badKind.GetProperty("status").GetInt32());
        var merge = await Error(client, "resolve_conflict", new() { ["conflict_id"] = conflictId, ["kind"] = "merge", ["user_id"] = user });
        Assert.Equal("A merge needs merged_text.", merge.GetProperty("detail").GetString());
        var resolved = await Ok(client, "resolve_conflict", new() { ["conflict_id"] = conflictId, ["kind"] = "keep_b", ["user_id"] = user });
        Assert.Equal("resolved", resolved.GetProperty("status").GetString());

        var context = await Ok(client, "get_memory_context", new() { ["agent_id"] = Http.NewId("agent"), ["max_tokens"] = 500 });
        Assert.Equal(0, context.GetProperty("chains_included").GetInt32());
        var tooMany = await Error(client, "get_memory_context", new() { ["agent_id"] = "a1", ["max_tokens"] = 0 });
        Assert.Equal("max_tokens must be 1-1000000 (was 0).", tooMany.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Validation_failures_are_tool_errors_in_the_api_words()
    {
        await using var client = await silo.ConnectAsync(McpSiloFixture.ReadWriteA);
        var noUser = await Error(client, "get_memories", []);
        Assert.Equal("user_id is required (this API key is not pinned to a user).", noUser.GetProperty("detail").GetString());
        var badId = await Error(client, "get_memories", new() { ["user_id"] = "a/b" });
        Assert.Contains("is not a valid user_id", badId.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(badId.GetProperty("errors").TryGetProperty("user_id", out _));
        var page = await Error(client, "get_memories", new() { ["user_id"] = "u1", ["limit"] = 5000 });
        Assert.Equal("limit must be 1-1000 (was 5000).", page.GetProperty("detail").GetString());
        var missing = await Error(client, "add_memory", new() { ["user_id"] = "u1" });
        Assert.Equal(400, missing.GetProperty("status").GetInt32());
        Assert.Contains("text", missing.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var wrongType = await Error(client, "get_memories", new() { ["user_id"] = "u1", ["limit"] = "many" });
        Assert.Equal(400, wrongType.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Scopes_are_those_of_the_http_routes()
    {
        var user = Http.NewId("user");
        await using var reader = await silo.ConnectAsync(McpSiloFixture.ReadOnlyA);
        var refused = await Error(reader, "add_memory", new() { ["text"] = "x", ["user_id"] = user });
        Assert.Equal(403, refused.GetProperty("status").GetInt32());
        Assert.Equal("The API key lacks the scope this operation needs.", refused.GetProperty("detail").GetString());
        await Ok(reader, "get_memories", new() { ["user_id"] = user });

        await using var writer = await silo.ConnectAsync(McpSiloFixture.ReadWriteA);
        await Ok(writer, "add_memory", new() { ["text"] = "Likes green tea", ["user_id"] = user });
        var notAdmin = await Error(writer, "delete_all_memories", new() { ["user_id"] = user });
        Assert.Equal(403, notAdmin.GetProperty("status").GetInt32());

        await using var writeOnly = await silo.ConnectAsync(McpSiloFixture.WriteOnlyA);
        var receipt = await Ok(writeOnly, "add_memory", new() { ["text"] = "Plays the cello", ["user_id"] = user });
        Assert.Equal("added", receipt.GetProperty("outcome").GetString());
        Assert.False(receipt.TryGetProperty("memory", out _), "a write-only key sees a receipt, not stored content");
        Assert.Equal(403, (await Error(writeOnly, "search_memories", new() { ["query"] = "music", ["user_id"] = user })).GetProperty("status").GetInt32());

        await using var admin = await silo.ConnectAsync(McpSiloFixture.AdminA);
        var erased = await Ok(admin, "delete_all_memories", new() { ["user_id"] = user });
        Assert.True(erased.GetProperty("erased").GetBoolean());
        Assert.Equal(0, (await Ok(writer, "get_memories", new() { ["user_id"] = user })).GetProperty("total_count").GetInt32());
    }

    [Fact]
    public async Task Unauthenticated_and_operator_requests_never_reach_the_tools()
    {
        var none = await Assert.ThrowsAnyAsync<Exception>(() => silo.ConnectAsync(null));
        Assert.Contains("401", none.ToString(), StringComparison.Ordinal);
        var bad = await Assert.ThrowsAnyAsync<Exception>(() => silo.ConnectAsync("not-a-key-of-this-silo-at-all"));
        Assert.Contains("401", bad.ToString(), StringComparison.Ordinal);
        var ops = await Assert.ThrowsAnyAsync<Exception>(() => silo.ConnectAsync(McpSiloFixture.Operator));
        Assert.Contains("403", ops.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tenants_are_isolated_across_keys()
    {
        var user = Http.NewId("user");
        await using var a = await silo.ConnectAsync(McpSiloFixture.ReadWriteA);
        await using var b = await silo.ConnectAsync(McpSiloFixture.ReadWriteB);
        var added = await Ok(a, "add_memory", new() { ["text"] = "My bank PIN hint is the cat's birthday", ["user_id"] = user });
        var id = added.GetProperty("memory").GetProperty("id").GetString()!;

        Assert.Equal(0, (await Ok(b, "get_memories", new() { ["user_id"] = user })).GetProperty("total_count").GetInt32());
        Assert.Empty((await Ok(b, "search_memories", new() { ["query"] = "bank PIN", ["user_id"] = user })).GetProperty("results").EnumerateArray());
        Assert.Equal(404, (await Error(b, "get_memory", new() { ["memory_id"] = id, ["user_id"] = user })).GetProperty("status").GetInt32());
        Assert.Equal(404, (await Error(b, "delete_memory", new() { ["memory_id"] = id, ["user_id"] = user })).GetProperty("status").GetInt32());
        Assert.Equal(1, (await Ok(a, "get_memories", new() { ["user_id"] = user })).GetProperty("total_count").GetInt32());
    }

    [Fact]
    public async Task A_pinned_key_needs_no_user_id_and_reaches_no_other_user()
    {
        await using var pinned = await silo.ConnectAsync(McpSiloFixture.PinnedA);
        await Ok(pinned, "add_memory", new() { ["text"] = "I prefer window seats on flights" });
        var found = await Ok(pinned, "search_memories", new() { ["query"] = "Where do I like to sit on a plane?" });
        Assert.Equal("I prefer window seats on flights", found.GetProperty("results")[0].GetProperty("memory").GetProperty("text").GetString());
        await Ok(pinned, "get_memories", new() { ["user_id"] = McpSiloFixture.PinnedUser });

        var other = await Error(pinned, "get_memories", new() { ["user_id"] = "someone-else" });
        Assert.Equal(403, other.GetProperty("status").GetInt32());
        Assert.Equal("The API key is pinned to another user.", other.GetProperty("detail").GetString());

        // The same key on the HTTP API: its user's routes only.
        using var http = new HttpClient { BaseAddress = silo.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", McpSiloFixture.PinnedA);
        var mine = await http.GetAsync($"/v1/users/{McpSiloFixture.PinnedUser}/memories").Expect(200);
        Assert.True(mine.GetProperty("total_count").GetInt32() >= 1);
        await http.GetAsync("/v1/users/someone-else/memories").ExpectProblem(403);

        await using var tenantKey = await silo.ConnectAsync(McpSiloFixture.ReadWriteA);
        var seen = await Ok(tenantKey, "get_memories", new() { ["user_id"] = McpSiloFixture.PinnedUser });
        Assert.True(seen.GetProperty("total_count").GetInt32() >= 1, "the pinned user is an ordinary user of its tenant");
    }

    [Fact]
    public async Task The_server_can_be_turned_off()
    {
        var storage = Directory.CreateTempSubdirectory("omem-mcp-off-");
        try
        {
            await using var off = await SocketSilo.StartAsync($"--OrleansMemory:Storage:BaseDirectory={storage.FullName}", "--OrleansMemory:Mcp:Enabled=false");
            using var response = await off.Client.PostAsync("/mcp", Http.Body("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}"""));
            Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
            await off.Client.GetAsync("/health/ready").Expect(200);
        }
        finally
        {
            storage.Delete(recursive: true);
        }
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public async Task Add_memory_with_an_idempotency_key_is_stored_once()
    {
        await using var client = await silo.ConnectAsync(McpSiloFixture.ReadWriteA);
        var user = Http.NewId("user");
        Dictionary<string, object?> arguments = new() { ["text"] = "I collect vinyl records", ["user_id"] = user, ["idempotency_key"] = "mcp-1" };
        var first = await Ok(client, "add_memory", arguments);
        var retry = await Ok(client, "add_memory", arguments);
        Assert.True(JsonElement.DeepEquals(first, retry), $"{first} vs {retry}");
        Assert.Equal(1, (await Ok(client, "get_memories", new() { ["user_id"] = user })).GetProperty("total_count").GetInt32());

        var reused = await Error(client, "add_memory", new() { ["text"] = "I collect stamps", ["user_id"] = user, ["idempotency_key"] = "mcp-1" });
        Assert.Equal(422, reused.GetProperty("status").GetInt32());
        var bad = await Error(client, "add_memory", new() { ["text"] = "I collect stamps", ["user_id"] = user, ["idempotency_key"] = new string('k', 201) });
        Assert.Equal(400, bad.GetProperty("status").GetInt32());
        Assert.Equal(1, (await Ok(client, "get_memories", new() { ["user_id"] = user })).GetProperty("total_count").GetInt32());
        var schema = (await client.ListToolsAsync()).Single(t => t.Name == "add_memory").ProtocolTool.InputSchema;
        Assert.True(schema.GetProperty("properties").TryGetProperty("idempotency_key", out _));
    }

    private static async Task<JsonElement> Ok(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.True(result.IsError is not true, $"{tool} failed: {text}");
        var structured = Assert.IsType<JsonElement>(result.StructuredContent);
        Assert.Equal(JsonValueKind.Object, structured.ValueKind);
        Assert.True(JsonElement.DeepEquals(structured, Json(text)), "the text block holds the structured content");
        return structured;
    }

    private static async Task<JsonElement> Error(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.True(result.IsError, $"{tool} should have failed: {text}");
        var problem = Assert.IsType<JsonElement>(result.StructuredContent);
        Assert.Equal($"{problem.GetProperty("title").GetString()}: {problem.GetProperty("detail").GetString()}", text);
        return problem;
    }
}
