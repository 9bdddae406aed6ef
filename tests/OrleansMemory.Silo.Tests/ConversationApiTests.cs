namespace OrleansMemory.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class ConversationApiTests(SiloFactory silo)
{
    [Fact]
    public async Task Document_round_trips_and_is_404_when_absent()
    {
        var client = silo.Client();
        var id = Http.NewId("conv");
        await client.GetAsync($"/v1/conversations/{id}/document").ExpectProblem(404);
        await client.PutAsync($"/v1/conversations/{id}/document", Http.Body("""{"title":"Trip","turns":[1,2]}""")).Expect(204);
        var document = await client.GetAsync($"/v1/conversations/{id}/document").Expect(200);
        Assert.Equal("Trip", document.GetProperty("title").GetString());
        Assert.Equal(2, document.GetProperty("turns").GetArrayLength());
    }

    [Fact]
    public async Task Messages_append_page_range_and_replace()
    {
        var client = silo.Client();
        var id = Http.NewId("conv");
        var appended = await client.PostAsync($"/v1/conversations/{id}/messages", Http.Body("""
            {"messages":[
              {"role":"user","content":"hello","timestamp":"2026-01-01T10:00:00Z"},
              {"role":"assistant","content":"hi there","timestamp":"2026-01-01T10:01:00Z","metadata":{"model":"m1"}}]}
            """)).Expect(201);
        Assert.Equal([1L, 2L], appended.GetProperty("sequences").EnumerateArray().Select(e => e.GetInt64()));

        var page = await client.GetAsync($"/v1/conversations/{id}/messages?after=1&limit=10").Expect(200);
        Assert.Equal(2, page.GetProperty("total_count").GetInt64());
        var message = Assert.Single(page.GetProperty("messages").EnumerateArray());
        Assert.Equal("hi there", message.GetProperty("content").GetString());
        Assert.Equal("m1", message.GetProperty("metadata").GetProperty("model").GetString());

        var range = await client.GetAsync($"/v1/conversations/{id}/messages/range?from=2026-01-01T09:59:00Z&to=2026-01-01T10:00:30Z").Expect(200);
        Assert.Equal("hello", Assert.Single(range.EnumerateArray()).GetProperty("content").GetString());

        await client.PutAsync($"/v1/conversations/{id}/messages", Http.Body("""{"messages":[{"role":"system","content":"reset"}]}""")).Expect(204);
        var stats = await client.GetAsync($"/v1/conversations/{id}/stats").Expect(200);
        Assert.Equal(1, stats.GetProperty("message_count").GetInt64());
    }

    [Fact]
    public async Task Chunks_and_memory_records_round_trip()
    {
        var client = silo.Client();
        var id = Http.NewId("conv");
        await client.PutAsync($"/v1/conversations/{id}/chunks", Http.Body("""
            {"chunks":[{"chunk_id":"c1","start_sequence":1,"end_sequence":4,"content":{"summary":"greeting"}},
                       {"chunk_id":"c2","start_sequence":5,"end_sequence":9}]}
            """)).Expect(204);
        Assert.Equal(2, (await client.GetAsync($"/v1/conversations/{id}/chunks").Expect(200)).GetArrayLength());
        var chunk = await client.GetAsync($"/v1/conversations/{id}/chunks/c1").Expect(200);
        Assert.Equal("greeting", chunk.GetProperty("content").GetProperty("summary").GetString());
        await client.GetAsync($"/v1/conversations/{id}/chunks/nope").ExpectProblem(404);

        await client.PostAsync($"/v1/conversations/{id}/memory-records", Http.Body("""
            {"memory_id":"m1","source_start_sequence":1,"source_end_sequence":4,"content":"They greeted each other."}
            """)).Expect(204);
        var records = await client.GetAsync($"/v1/conversations/{id}/memory-records").Expect(200);
        Assert.Equal("They greeted each other.", Assert.Single(records.EnumerateArray()).GetProperty("content").GetString());
    }

    [Fact]
    public async Task Listing_shows_conversations_written_and_delete_removes_everything()
    {
        var client = silo.Client();
        var id = Http.NewId("conv");
        await client.PutAsync($"/v1/conversations/{id}/document", Http.Body("""{"a":1}""")).Expect(204);
        var list = await client.GetAsync("/v1/conversations?limit=1000").Expect(200);
        Assert.Contains(list.EnumerateArray(), e => e.GetProperty("conversation_id").GetString() == id);

        await client.DeleteAsync($"/v1/conversations/{id}").Expect(204);
        await client.GetAsync($"/v1/conversations/{id}/document").ExpectProblem(404);
        list = await client.GetAsync("/v1/conversations?limit=1000").Expect(200);
        Assert.DoesNotContain(list.EnumerateArray(), e => e.GetProperty("conversation_id").GetString() == id);
    }
}
