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
    public async Task Metrics_are_OpenTelemetry_prometheus_with_operations_storage_orleans_aspnetcore_and_runtime()
    {
        var key = Http.NewId("gen");
        await silo.Client().PutAsync($"/v1/cache/{key}", Http.Body("""{"value":1}""")).Expect(204);
        var user = Http.NewId("u");
        await silo.Client().PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"x","embedding":[1,0]}""")).Expect(201);
        await silo.Client().PostAsync($"/v1/users/{user}/memories/search", Http.Body("""{"embedding":[1,0],"top_k":1}""")).Expect(200);
        using var response = await silo.Client(key: null).GetAsync("/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();

        // Ours: operations by kind and outcome, storage by provider, grain type and state kind (the memory grains' pages too).
        Assert.Matches("""orleansmemory_operations_total\{[^}]*grain_type="cache"[^}]*operation="set"[^}]*outcome="ok"[^}]*\} [1-9]""", text);
        Assert.Matches("""orleansmemory_operation_duration_seconds_bucket\{[^}]*operation="add_memory"[^}]*\}""", text);
        Assert.Matches("""orleansmemory_storage_operations_total\{[^}]*grain_type="user"[^}]*operation="write"[^}]*state_kind="memories"[^}]*storage_provider="Default"[^}]*storage_type="file"[^}]*\} [1-9]""", text);
        Assert.Matches("""orleansmemory_storage_bytes_total\{[^}]*direction="write"[^}]*grain_type="cache"[^}]*\} [1-9]""", text);
        Assert.Contains("# TYPE orleansmemory_storage_duration_seconds histogram", text);
        Assert.Matches("""orleansmemory_search_duration_seconds_count\{[^}]*\} [1-9]""", text); // OrleansMemory.Search, the grain's own meter

        // Theirs: Orleans' meters, ASP.NET Core, the runtime.
        Assert.Matches("(?m)^orleans_", text);
        Assert.Contains("http_server_request_duration_seconds_bucket{", text);
        Assert.Matches("(?m)^dotnet_gc_", text);
    }

    [Fact]
    public async Task Every_request_has_a_trace_id_and_errors_carry_it()
    {
        using var response = await silo.Client().GetAsync($"/v1/users/{Http.NewId("u")}/memories/missing");
        Assert.Equal(404, (int)response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.TryGetProperty("trace_id", out var traceId), "problem+json without trace_id");
        Assert.Matches("[0-9a-f]{32}", traceId.GetString()!);
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
