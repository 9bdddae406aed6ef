using System.Net.Http.Headers;

namespace OrleansMemory.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class AuthTests(SiloFactory silo)
{
    [Fact]
    public async Task Missing_or_wrong_key_is_401_with_a_challenge()
    {
        using var response = await silo.Client(key: null).GetAsync("/v1/system");
        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("Authorization: Bearer", (await response.Json()).GetProperty("detail").GetString());
        await silo.Client("not-a-key-of-this-silo-at-all").GetAsync("/v1/system").ExpectProblem(401);
    }

    [Fact]
    public async Task X_Api_Key_header_is_accepted()
    {
        var client = silo.Client(key: null);
        client.DefaultRequestHeaders.Add("X-Api-Key", SiloFactory.ReadWriteB);
        var info = await client.GetAsync("/v1/system").Expect(200);
        Assert.Equal("tenant-b", info.GetProperty("tenant").GetString());
    }

    [Fact]
    public async Task Read_only_key_cannot_write_and_nothing_is_stored()
    {
        var user = Http.NewId("user");
        await silo.Client(SiloFactory.ReadOnlyA).PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"x","embedding":[1,0]}""")).ExpectProblem(403);
        var stats = await silo.Client(SiloFactory.ReadOnlyA).GetAsync($"/v1/users/{user}/stats").Expect(200);
        Assert.Equal(0, stats.GetProperty("memory_count").GetInt32());
    }

    [Fact]
    public async Task Tenant_b_never_sees_or_changes_tenant_a_data()
    {
        var user = Http.NewId("user");
        var conversation = Http.NewId("conv");
        var a = silo.Client(SiloFactory.ReadWriteA);
        var b = silo.Client(SiloFactory.ReadWriteB);
        var added = await a.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"A's secret","embedding":[1,0]}""")).Expect(201);
        var memoryId = added.GetProperty("memory").GetProperty("id").GetString();
        await a.PutAsync($"/v1/conversations/{conversation}/document", Http.Body("""{"owner":"a"}""")).Expect(204);

        await b.GetAsync($"/v1/users/{user}/memories/{memoryId}").ExpectProblem(404);
        Assert.Equal(0, (await b.GetAsync($"/v1/users/{user}/stats").Expect(200)).GetProperty("memory_count").GetInt32());
        await b.GetAsync($"/v1/conversations/{conversation}/document").ExpectProblem(404);
        await b.DeleteAsync($"/v1/users/{user}/memories/{memoryId}").ExpectProblem(404);
        await b.DeleteAsync($"/v1/conversations/{conversation}").Expect(204);
        Assert.DoesNotContain((await b.GetAsync("/v1/conversations").Expect(200)).EnumerateArray(), c => c.GetProperty("conversation_id").GetString() == conversation);

        Assert.Equal("a", (await a.GetAsync($"/v1/conversations/{conversation}/document").Expect(200)).GetProperty("owner").GetString());
        await a.GetAsync($"/v1/users/{user}/memories/{memoryId}").Expect(200);
    }

    [Fact]
    public async Task Health_metrics_and_openapi_need_no_key()
    {
        var client = silo.Client(key: null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-but-ignored-here");
        await client.GetAsync("/health/live").Expect(200);
        await client.GetAsync("/openapi/v1.json").Expect(200);
    }
}
