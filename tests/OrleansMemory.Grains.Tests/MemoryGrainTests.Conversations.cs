using System.Text.Json;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

public abstract partial class MemoryGrainTests
{
    [Fact]
    public async Task Conversation_document_round_trips_and_oversized_is_rejected()
    {
        var conversation = Grains.GetGrain<IConversationGrain>(Key("conv"));
        Assert.Null(await conversation.LoadDocumentAsync());
        await conversation.StoreDocumentAsync(Json("""{"memories":[{"id":"m1","text":"compressed"}],"version":3}"""));
        var loaded = await conversation.LoadDocumentAsync();
        Assert.NotNull(loaded);
        Assert.Equal(3, loaded.Value.GetProperty("version").GetInt32());
        Assert.Equal("compressed", loaded.Value.GetProperty("memories")[0].GetProperty("text").GetString());

        var big = JsonSerializer.SerializeToElement(new { blob = new string('x', 70 * 1024) });
        var error = await Assert.ThrowsAsync<MemoryValidationException>(() => conversation.StoreDocumentAsync(big));
        Assert.Equal("document", error.ParamName);
        Assert.Equal(3, (await conversation.LoadDocumentAsync())!.Value.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Raw_messages_append_page_range_count_and_replace()
    {
        var conversation = Grains.GetGrain<IConversationGrain>(Key("conv"));
        var t0 = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal(1, await conversation.AppendMessageAsync(new RawMessage("m1", MessageRoles.User, "hello", t0)));
        var sequences = await conversation.AppendMessagesAsync(new[]
        {
            new RawMessage("m2", MessageRoles.Assistant, "hi", t0.AddMinutes(1)),
            new RawMessage("", MessageRoles.Tool, "42", t0.AddMinutes(2), Name: "calc", ToolCallId: "call-1",
                Metadata: Metadata.From(("latency_ms", 12))),
            new RawMessage("m4", MessageRoles.User, "thanks", t0.AddMinutes(3)),
        });
        Assert.Equal([2L, 3L, 4L], sequences);
        Assert.Equal(4, await conversation.GetMessageCountAsync());

        var first = await conversation.GetMessagesAsync(0, 2);
        Assert.Equal(["m1", "m2"], first.Messages.Select(m => m.Id));
        Assert.True(first.HasMore);
        Assert.Equal(4, first.TotalCount);
        var rest = await conversation.GetMessagesAsync(first.Messages[^1].Sequence, 10);
        Assert.Equal([3L, 4L], rest.Messages.Select(m => m.Sequence));
        Assert.False(rest.HasMore);
        var tool = rest.Messages[0];
        Assert.False(string.IsNullOrEmpty(tool.Id));
        Assert.Equal("calc", tool.Name);
        Assert.Equal("call-1", tool.ToolCallId);
        Assert.Equal(12, tool.Metadata!["latency_ms"].GetInt32());

        var range = await conversation.GetMessagesInRangeAsync(t0.AddMinutes(1), t0.AddMinutes(3));
        Assert.Equal(["m2", tool.Id], range.Select(m => m.Id));

        await conversation.ReplaceMessagesAsync(new[] {new RawMessage("r1", MessageRoles.System, "summary so far", t0)});
        var replaced = await conversation.GetMessagesAsync();
        Assert.Equal(1, replaced.TotalCount);
        Assert.Equal(("r1", 1L), (replaced.Messages[0].Id, replaced.Messages[0].Sequence));
        Assert.Equal(2, await conversation.AppendMessageAsync(new RawMessage("r2", MessageRoles.User, "next")));
    }

    [Fact]
    public async Task Appends_are_idempotent_on_the_message_ids_callers_send()
    {
        var conversation = Grains.GetGrain<IConversationGrain>(Key("conv"));
        Assert.Equal([1L, 2L], await conversation.AppendMessagesAsync([new RawMessage("a", "user", "one"), new RawMessage("b", "assistant", "two")]));

        // A retry of the whole batch, a retry overlapping a new message, a repeat inside one batch, and no id at all.
        Assert.Equal([1L, 2L], await conversation.AppendMessagesAsync([new RawMessage("a", "user", "one"), new RawMessage("b", "assistant", "two")]));
        Assert.Equal([2L, 3L, 3L], await conversation.AppendMessagesAsync(
            [new RawMessage("b", "assistant", "two"), new RawMessage("c", "user", "three"), new RawMessage("c", "user", "three")]));
        Assert.Equal([4L], await conversation.AppendMessagesAsync([new RawMessage("", "user", "four")]));
        Assert.Equal(1L, await conversation.AppendMessageAsync(new RawMessage("a", "user", "one")));

        var page = await conversation.GetMessagesAsync();
        Assert.Equal(["one", "two", "three", "four"], page.Messages.Select(m => m.Content));
        Assert.Equal([1L, 2L, 3L, 4L], page.Messages.Select(m => m.Sequence));
    }

    [Fact]
    public async Task Raw_messages_are_validated()
    {
        var conversation = Grains.GetGrain<IConversationGrain>(Key("conv"));
        await Assert.ThrowsAsync<MemoryValidationException>(() => conversation.AppendMessageAsync(new RawMessage("x", "robot", "hi")));
        await Assert.ThrowsAsync<MemoryValidationException>(() => conversation.AppendMessageAsync(new RawMessage(new string('i', 300), "user", "hi")));
        await Assert.ThrowsAsync<MemoryValidationException>(() => conversation.AppendMessagesAsync([]));
        await Assert.ThrowsAsync<MemoryValidationException>(() => conversation.GetMessagesAsync(0, 0));
        await Assert.ThrowsAsync<MemoryValidationException>(() => conversation.GetMessagesAsync(-1, 10));
        await Assert.ThrowsAsync<MemoryValidationException>(() => conversation.GetMessagesInRangeAsync(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(-1)));
        Assert.Equal(0, await conversation.GetMessageCountAsync());
    }

    [Fact]
    public async Task Chunks_and_formation_records_store_load_and_replace()
    {
        var conversation = Grains.GetGrain<IConversationGrain>(Key("conv"));
        await conversation.StoreChunksAsync(new[]
        {
            new ConversationChunk("c1", 1, 10, Json("""{"summary":"greetings"}""")),
            new ConversationChunk("c2", 11, 20, Metadata: Metadata.From(("tokens", 900))),
        });
        Assert.Equal(["c1", "c2"], (await conversation.LoadChunksAsync()).Select(c => c.ChunkId));
        Assert.Equal("greetings", (await conversation.GetChunkAsync("c1"))!.Content!.Value.GetProperty("summary").GetString());
        Assert.Null(await conversation.GetChunkAsync("c9"));
        await Assert.ThrowsAsync<MemoryValidationException>(() => conversation.StoreChunksAsync(new[] {new ConversationChunk("c1", 1, 2), new ConversationChunk("c1", 3, 4)}));
        await Assert.ThrowsAsync<MemoryValidationException>(() => conversation.StoreChunksAsync(new[] {new ConversationChunk("", 1, 2)}));

        await conversation.StoreFormationRecordAsync(new MemoryFormationRecord("mem-1", 1, 10, "User introduced themselves."));
        await conversation.StoreFormationRecordAsync(new MemoryFormationRecord("mem-2", 11, 20, "User asked about weather."));
        await conversation.StoreFormationRecordAsync(new MemoryFormationRecord("mem-1", 1, 12, "User introduced themselves as Ada."));
        var records = await conversation.LoadFormationRecordsAsync();
        Assert.Equal(["mem-1", "mem-2"], records.Select(r => r.MemoryId));
        Assert.Equal("User introduced themselves as Ada.", records[0].Content);
        Assert.Equal(12, records[0].SourceEndSequence);
        Assert.NotEqual(default, records[0].CreatedAt);
        Assert.Equal(["mem-2"], (await conversation.LoadFormationRecordsAsync(1, 5)).Select(r => r.MemoryId));
        await Assert.ThrowsAsync<MemoryValidationException>(() => conversation.StoreFormationRecordAsync(new MemoryFormationRecord("bad", 5, 1, "x")));
    }

    [Fact]
    public async Task Conversation_stats_and_delete_remove_every_page()
    {
        var key = Key("conv");
        var conversation = Grains.GetGrain<IConversationGrain>(key);
        var t0 = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        await conversation.StoreDocumentAsync(Json("""{"a":1}"""));
        // 250 messages: three pages at the default page size of 100.
        await conversation.AppendMessagesAsync(Enumerable.Range(0, 250).Select(i => new RawMessage($"m{i}", MessageRoles.User, "abc", t0.AddSeconds(i))).ToArray());
        await conversation.StoreChunksAsync(new[] {new ConversationChunk("c1", 1, 2)});
        await conversation.StoreFormationRecordAsync(new MemoryFormationRecord("mem", 1, 2, "x"));

        var stats = await conversation.GetStatsAsync();
        Assert.Equal(new ConversationStats(250, 750, t0, t0.AddSeconds(249), true, 7, 1, 1), stats);
        Assert.Contains("raw_messages/000002", Cluster.Storage.LiveRecords(conversation.GetGrainId()));

        await conversation.DeleteAsync();
        AssertNoRecords(Cluster, conversation.GetGrainId());
        var again = Grains.GetGrain<IConversationGrain>(key);
        Assert.Equal(0, await again.GetMessageCountAsync());
        Assert.Null(await again.LoadDocumentAsync());
    }

    [Fact]
    public async Task Replace_and_delete_work_on_a_conversation_that_never_stored_anything()
    {
        var fresh = Grains.GetGrain<IConversationGrain>(Key("fresh"));
        await fresh.DeleteAsync();
        var other = Grains.GetGrain<IConversationGrain>(Key("fresh"));
        await other.ReplaceMessagesAsync(new[] { new RawMessage("a", MessageRoles.User, "first") });
        Assert.Equal(1, await other.GetMessageCountAsync());
        AssertNoRecords(Cluster, fresh.GetGrainId());
    }
}
