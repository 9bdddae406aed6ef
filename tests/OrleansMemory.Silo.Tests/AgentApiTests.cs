namespace OrleansMemory.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class AgentApiTests(SiloFactory silo)
{
    [Fact]
    public async Task Reasoning_chains_context_conversations_and_stats()
    {
        var client = silo.Client();
        var id = Http.NewId("agent");
        var created = await client.PostAsync($"/v1/agents/{id}/reasoning-chains", Http.Body("""
            {"goal":"weather","conversation_id":"conv-1","steps":[
              {"kind":"thought","content":"I should look it up","timestamp":"2026-01-01T10:00:00Z"},
              {"kind":"tool_call","content":"weather(paris)","tool_name":"weather","arguments":{"city":"paris"}},
              {"kind":"final_answer","content":"Sunny","input_tokens":10,"output_tokens":3}]}
            """)).Expect(201);
        Assert.Equal(1, created.GetProperty("sequence").GetInt64());

        var page = await client.GetAsync($"/v1/agents/{id}/reasoning-chains").Expect(200);
        Assert.Equal(1, page.GetProperty("total_count").GetInt64());
        var chain = Assert.Single(page.GetProperty("chains").EnumerateArray());
        Assert.Equal("tool_call", chain.GetProperty("steps")[1].GetProperty("kind").GetString());

        var since = await client.GetAsync($"/v1/agents/{id}/reasoning-chains?since=2025-12-31T00:00:00Z").Expect(200);
        Assert.Equal(1, since.GetArrayLength());

        var context = await client.GetAsync($"/v1/agents/{id}/memory-context?max_tokens=500").Expect(200);
        Assert.True(context.GetProperty("messages").GetArrayLength() > 0);
        Assert.Equal(1, context.GetProperty("chains_included").GetInt32());

        await client.PostAsync($"/v1/agents/{id}/conversations", Http.Body("""{"conversation_id":"conv-2"}""")).Expect(204);
        var conversations = await client.GetAsync($"/v1/agents/{id}/conversations").Expect(200);
        Assert.Equal(["conv-1", "conv-2"], conversations.EnumerateArray().Select(c => c.GetProperty("conversation_id").GetString()).Order());

        var stats = await client.GetAsync($"/v1/agents/{id}/stats").Expect(200);
        Assert.Equal(3, stats.GetProperty("step_count").GetInt64());
        Assert.Equal(13, stats.GetProperty("total_tokens").GetInt64());

        await client.DeleteAsync($"/v1/agents/{id}/reasoning-chains").Expect(204);
        Assert.Equal(0, (await client.GetAsync($"/v1/agents/{id}/reasoning-chains").Expect(200)).GetProperty("total_count").GetInt64());
        await client.DeleteAsync($"/v1/agents/{id}").Expect(204);
        Assert.Equal(0, (await client.GetAsync($"/v1/agents/{id}/stats").Expect(200)).GetProperty("conversation_count").GetInt32());
    }

    [Fact]
    public async Task Chain_without_steps_and_bad_budget_are_400()
    {
        var client = silo.Client();
        var id = Http.NewId("agent");
        await client.PostAsync($"/v1/agents/{id}/reasoning-chains", Http.Body("""{"steps":[]}""")).ExpectProblem(400);
        await client.PostAsync($"/v1/agents/{id}/reasoning-chains", Http.Body("""{"steps":[{"kind":"pondering","content":"x"}]}""")).ExpectProblem(400);
        await client.GetAsync($"/v1/agents/{id}/memory-context?max_tokens=0").ExpectProblem(400);
        Assert.Equal(0, (await client.GetAsync($"/v1/agents/{id}/stats").Expect(200)).GetProperty("chain_count").GetInt64());
    }
}
