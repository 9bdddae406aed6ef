using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrleansMemory.Silo.Hosting;
using OrleansMemory.Silo.Metrics;
using OrleansMemory.Silo.Telemetry;

namespace OrleansMemory.Silo.Tests;

/// <summary>Logs are structured (silo, trace, grain, tenant fields), follow one trace from HTTP into the grain, and
/// never carry an API key or memory text at Information or above.</summary>
public sealed class LoggingTests
{
    private const string ApiKey = "key-logging-test-secret-000000001";
    private const string Marker = "ZebraMarker7731";

    [Fact]
    public void Json_lines_have_flat_silo_trace_grain_and_tenant_fields()
    {
        var formatter = new SiloJsonConsoleFormatter(new StaticOptions(new SiloJsonConsoleFormatterOptions { SiloName = "silo-7" }));
        var scopes = new LoggerExternalScopeProvider();
        using var activity = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        using var scope = scopes.Push(new GrainLogScope("user", "tenant-a/u1", "tenant-a"));
        var state = new List<KeyValuePair<string, object?>> { new("ConflictId", "c9"), new("{OriginalFormat}", "conflict {ConflictId}") };
        using var text = new StringWriter();
        formatter.Write(new LogEntry<List<KeyValuePair<string, object?>>>(LogLevel.Information, "Cat", new EventId(7), state, null, (s, _) => "conflict c9"), scopes, text);

        var line = JsonDocument.Parse(text.ToString()).RootElement;
        Assert.Equal("silo-7", line.GetProperty("silo").GetString());
        Assert.Equal(activity.TraceId.ToHexString(), line.GetProperty("trace_id").GetString());
        Assert.Equal("user", line.GetProperty("grain_type").GetString());
        Assert.Equal("tenant-a/u1", line.GetProperty("grain_id").GetString());
        Assert.Equal("tenant-a", line.GetProperty("tenant").GetString());
        Assert.Equal("Information", line.GetProperty("level").GetString());
        Assert.Equal("conflict c9", line.GetProperty("message").GetString());
        Assert.Equal("c9", line.GetProperty("state").GetProperty("ConflictId").GetString());
        Assert.Single(text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task One_trace_reaches_the_grain_and_no_key_or_memory_text_is_logged_at_information()
    {
        var storage = Directory.CreateTempSubdirectory("omem-logging-");
        var captured = new CapturingLoggerProvider();
        var builder = WebApplication.CreateBuilder(["--OrleansMemory:Http:Port=0", "--OrleansMemory:SiloPort=0", "--OrleansMemory:GatewayPort=0",
            "--OrleansMemory:Storage:Type=file", $"--OrleansMemory:Storage:BaseDirectory={storage.FullName}", "--OrleansMemory:Auth:Mode=Required",
            $"--OrleansMemory:Auth:ApiKeys:0:Key={ApiKey}", "--OrleansMemory:Auth:ApiKeys:0:Tenant=acme", "--OrleansMemory:Auth:ApiKeys:0:Scopes:0=admin",
            "--OrleansMemory:Grains:AutoResolveSingletonConflicts=false", "--Logging:LogLevel:Default=Debug", "--OrleansMemory:ShutdownTimeout=00:00:05"]);
        SiloApplication.ConfigureBuilder(builder);
        builder.Logging.AddProvider(captured);
        await using var app = builder.Build();
        SiloApplication.ConfigureApplication(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", ApiKey);

        await client.PostAsync("/v1/users/u1/memories", Http.Body($$"""{"text":"{{Marker}} lives in Paris","embedding":[1,0,0]}""")).Expect(201);
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/users/u1/memories") { Content = Http.Body($$"""{"text":"{{Marker}} lives in Rome","embedding":[0.9,0.3,0]}""") })
        {
            request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            await client.SendAsync(request).Expect(201);
        }

        (await client.PostAsync("/v1/users/u1/memories/search", Http.Body($$"""{"embedding":[1,0,0],"query_text":"{{Marker}}"}"""))).Dispose();
        await client.PostAsync("/v1/users/u1/memories", Http.Body($$"""{"text":"{{Marker}}","embedding":"bad"}""")).ExpectProblem(400);
        using (var wrong = new HttpClient { BaseAddress = new Uri(address) })
        {
            wrong.DefaultRequestHeaders.Authorization = new("Bearer", ApiKey + "-wrong");
            await wrong.GetAsync("/v1/users/u1/stats").ExpectProblem(401);
        }

        await app.StopAsync();
        storage.Delete(recursive: true);

        var records = captured.Records.ToList();
        Assert.NotEmpty(records);
        var leaks = records.Where(r => r.Level >= LogLevel.Information && (r.Text.Contains(Marker, StringComparison.Ordinal) || r.Text.Contains(ApiKey, StringComparison.Ordinal))).ToList();
        Assert.True(leaks.Count == 0, string.Join('\n', leaks.Select(r => r.Category + ": " + r.Text)));

        // The conflict the second memory raised is logged inside the user grain's call: its scope names the grain and
        // the tenant, and it belongs to the trace the HTTP request carried.
        var conflict = Assert.Single(records, r => r.Category.EndsWith("UserGrain", StringComparison.Ordinal) && r.Text.Contains("conflict", StringComparison.Ordinal));
        Assert.Equal("user", conflict.Scope.GetValueOrDefault("GrainType"));
        Assert.Equal(Grains.LogId.Of("acme/u1"), conflict.Scope.GetValueOrDefault("GrainId")); // ids as short hashes
        Assert.Equal(Grains.LogId.Of("acme"), conflict.Scope.GetValueOrDefault("Tenant"));
        Assert.Equal(traceId, conflict.TraceId);
    }

    private sealed class StaticOptions(SiloJsonConsoleFormatterOptions value) : IOptionsMonitor<SiloJsonConsoleFormatterOptions>
    {
        public SiloJsonConsoleFormatterOptions CurrentValue => value;

        public SiloJsonConsoleFormatterOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<SiloJsonConsoleFormatterOptions, string?> listener) => null;
    }
}
