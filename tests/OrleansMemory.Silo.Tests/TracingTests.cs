using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrleansMemory.Silo.Tests;

/// <summary>One HTTP request is one trace: the server span, Orleans' grain call spans (activity propagation), the
/// storage spans of every record the grain writes and the embedding of its text all share the request's trace id.</summary>
public sealed class TracingTests
{
    [Fact]
    public async Task A_text_memory_request_traces_through_the_grain_to_storage_and_embedding()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || s.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)
                || s.Name.StartsWith("OrleansMemory", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        var storage = Directory.CreateTempSubdirectory("omem-tracing-");
        await using var silo = await SocketSilo.StartAsync("--OrleansMemory:Storage:Type=file", $"--OrleansMemory:Storage:BaseDirectory={storage.FullName}");
        var client = silo.Client;
        var traceId = ActivityTraceId.CreateRandom();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/users/traced/memories") { Content = Http.Body("""{"text":"I keep bees in the garden"}""") })
        {
            request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            await client.SendAsync(request).Expect(201);
        }

        await silo.StopAsync();
        storage.Delete(recursive: true);

        var trace = spans.Where(s => s.TraceId == traceId).ToList();
        var sources = trace.Select(s => s.Source.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("Microsoft.AspNetCore", sources);
        Assert.Contains(trace, s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.DisplayName.Contains("UserGrain", StringComparison.Ordinal));
        Assert.Contains(trace, s => s.Source.Name == "OrleansMemory.Storage" && s.DisplayName.StartsWith("storage write", StringComparison.Ordinal)
            && (string?)s.GetTagItem("grain.type") == "user");
        var embed = Assert.Single(trace, s => s.Source.Name == "OrleansMemory.Embeddings");
        Assert.Equal(1, embed.GetTagItem("orleansmemory.embedding.texts"));

        // Every span of the trace hangs off the request's server span.
        var server = Assert.Single(trace, s => s.Source.Name == "Microsoft.AspNetCore");
        var byId = trace.ToDictionary(s => s.SpanId);
        foreach (var span in trace.Where(s => s != server))
        {
            var current = span;
            while (current.ParentSpanId != server.SpanId && byId.TryGetValue(current.ParentSpanId, out var parent))
            {
                current = parent;
            }

            Assert.True(current.ParentSpanId == server.SpanId, $"{span.Source.Name} {span.DisplayName} is not under the request's span");
        }
    }
}
