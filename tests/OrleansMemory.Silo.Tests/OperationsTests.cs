using System.Text.Json;

namespace OrleansMemory.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class OperationsTests(SiloFactory silo)
{
    [Fact]
    public async Task Ready_reports_storage_and_membership_round_trips()
    {
        var ready = await silo.Client(key: null).GetAsync("/health/ready").Expect(200);
        Assert.Equal("healthy", ready.GetProperty("status").GetString());
        Assert.Equal("healthy", ready.GetProperty("checks").GetProperty("storage-Default").GetProperty("status").GetString());
        Assert.Equal("healthy", ready.GetProperty("checks").GetProperty("membership").GetProperty("status").GetString());
        var live = await silo.Client(key: null).GetAsync("/health/live").Expect(200);
        Assert.Empty(live.GetProperty("checks").EnumerateObject());
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_with_calls_latency_and_activations()
    {
        await silo.Client().PutAsync($"/v1/cache/{Http.NewId("gen")}", Http.Body("""{"value":1}""")).Expect(204);
        using var response = await silo.Client(key: null).GetAsync("/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE orleansmemory_grain_calls_total counter", text);
        Assert.Contains("# TYPE orleansmemory_grain_call_duration_milliseconds histogram", text);
        Assert.Contains("orleansmemory_grain_call_duration_milliseconds_bucket{", text);
        Assert.Contains("le=\"+Inf\"", text);
        Assert.Matches("""orleansmemory_grain_activations\{[^}]*grain_type="cache"[^}]*\} [1-9]""", text);
    }

    [Fact]
    public async Task OpenApi_document_lists_every_resource()
    {
        var document = await silo.Client(key: null).GetAsync("/openapi/v1.json").Expect(200);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[]
        {
            "/v1/conversations/{conversationId}/messages", "/v1/agents/{agentId}/reasoning-chains", "/v1/users/{userId}/memories/search",
            "/v1/users/{userId}/conflicts/{conflictId}/resolve", "/v1/users/{userId}/short-term", "/v1/cache/{cacheKey}",
            "/v1/system/state/{stateKey}", "/v1/storage/stats",
        })
        {
            Assert.Contains(path, paths);
        }

        var memory = document.GetProperty("components").GetProperty("schemas").GetProperty("AddMemoryRequest").GetProperty("properties");
        Assert.True(memory.TryGetProperty("embedding", out JsonElement _));
    }
}
