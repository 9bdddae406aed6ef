using System.Text.Json;

namespace OrleansMemory.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class CacheAndSystemApiTests(SiloFactory silo)
{
    [Fact]
    public async Task Cache_set_get_stats_delete()
    {
        var client = silo.Client();
        var key = Http.NewId("gen");
        await client.GetAsync($"/v1/cache/{key}").ExpectProblem(404);
        await client.PutAsync($"/v1/cache/{key}", Http.Body("""{"value":{"answer":"42"},"ttl_seconds":3600}""")).Expect(204);
        var entry = await client.GetAsync($"/v1/cache/{key}").Expect(200);
        Assert.Equal("42", entry.GetProperty("value").GetProperty("answer").GetString());
        Assert.True(entry.GetProperty("expires_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(30));

        var stats = await client.GetAsync($"/v1/cache/{key}/stats").Expect(200);
        Assert.Equal(1, stats.GetProperty("hits").GetInt64());
        Assert.Equal(1, stats.GetProperty("misses").GetInt64());

        await client.DeleteAsync($"/v1/cache/{key}").Expect(204);
        await client.GetAsync($"/v1/cache/{key}").ExpectProblem(404);
        await client.PutAsync($"/v1/cache/{key}", Http.Body("""{"value":1,"ttl_seconds":-5}""")).ExpectProblem(400);
        await client.PutAsync($"/v1/cache/{key}", Http.Body("""{"ttl_seconds":5}""")).ExpectProblem(400);
        await client.GetAsync($"/v1/cache/{key}").ExpectProblem(404);
    }

    [Fact]
    public async Task System_state_round_trips_per_tenant()
    {
        var key = Http.NewId("state");
        await silo.Client().PutAsync($"/v1/system/state/{key}", Http.Body("""{"last_compaction":"2026-01-01"}""")).Expect(204);
        var value = await silo.Client().GetAsync($"/v1/system/state/{key}").Expect(200);
        Assert.Equal("2026-01-01", value.GetProperty("last_compaction").GetString());
        await silo.Client(SiloFactory.ReadWriteB).GetAsync($"/v1/system/state/{key}").ExpectProblem(404);
        await silo.Client().DeleteAsync($"/v1/system/state/{key}").Expect(204);
        await silo.Client().GetAsync($"/v1/system/state/{key}").ExpectProblem(404);
    }

    [Fact]
    public async Task System_info_and_storage_stats()
    {
        var info = await silo.Client().GetAsync("/v1/system").Expect(200);
        Assert.Equal("tenant-a", info.GetProperty("tenant").GetString());
        Assert.True(info.GetProperty("auth_required").GetBoolean());
        Assert.Equal(JsonValueKind.Null, info.GetProperty("storage_providers").ValueKind);
        Assert.DoesNotContain(silo.StorageDirectory.FullName, info.GetRawText());
        var operatorInfo = await silo.Client(SiloFactory.Operator).GetAsync("/v1/system").Expect(200);
        Assert.Equal("file", operatorInfo.GetProperty("storage_providers")[0].GetProperty("type").GetString());

        await silo.Client().PutAsync($"/v1/cache/{Http.NewId("gen")}", Http.Body("""{"value":"x"}""")).Expect(204);
        await silo.Client().GetAsync("/v1/storage/stats").ExpectProblem(403);
        await silo.Client(SiloFactory.AdminA).GetAsync("/v1/storage/stats").ExpectProblem(403);
        var stats = await silo.Client(SiloFactory.Operator).GetAsync("/v1/storage/stats").Expect(200);
        var provider = Assert.Single(stats.EnumerateArray());
        Assert.Equal("Default", provider.GetProperty("name").GetString());
        Assert.True(provider.GetProperty("record_count").GetInt64() >= 1);
        Assert.Contains(provider.GetProperty("grain_types").EnumerateArray(), t => t.GetProperty("grain_type").GetString() == "cache");
    }
}
