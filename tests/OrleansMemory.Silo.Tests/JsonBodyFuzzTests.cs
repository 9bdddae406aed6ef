using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansMemory.Silo.Tests;

/// <summary>Inputs are never silently changed: every route that takes a JSON body answers 400 for bytes that are not
/// UTF-8, for a number beyond a double's range and for a lone surrogate escape, wherever in the body they are, and
/// stores nothing.</summary>
[Collection(SiloCollection.Name)]
public sealed partial class JsonBodyFuzzTests(SiloFactory silo)
{
    private static readonly byte[][] BadBodies =
    [
        [.. "{\"value\":\""u8, 0xFF, .. "\"}"u8],                       // not UTF-8 inside a string
        [.. "{\"text\":\"caf"u8, 0xC3, .. "\",\"embedding\":[1,0]}"u8], // a truncated sequence
        [.. "{\"value\":1e309}"u8],                                     // beyond a double
        [.. "{\"metadata\":{\"n\":-2e400},\"text\":\"x\"}"u8],
        [.. "{\"value\":\"\\ud800\"}"u8],                               // a lone surrogate escape
    ];

    [Fact]
    public async Task Every_json_body_route_refuses_what_it_could_only_store_changed()
    {
        var client = silo.Client();
        var endpoints = silo.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1", StringComparison.Ordinal) == true).ToList();
        var routes = endpoints.Where(e => e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.Contains("application/json") == true)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => (Method: m, Pattern: e.RoutePattern.RawText!)))
            .ToList();
        var writes = endpoints.SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            .Count(m => m is "POST" or "PUT" or "PATCH");
        Assert.Equal(writes, routes.Count); // every route that takes a body takes JSON, and is fuzzed here
        foreach (var (method, pattern) in routes)
        {
            var path = RouteValue().Replace(pattern, _ => "fuzz" + Guid.NewGuid().ToString("N")[..8]);
            foreach (var body in BadBodies)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await client.SendAsync(request);
                Assert.True((int)response.StatusCode == 400, $"{method} {pattern} with {Encoding.Latin1.GetString(body)}: {(int)response.StatusCode}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
    }

    [Fact]
    public async Task A_cache_value_or_state_that_is_not_valid_json_text_is_not_stored()
    {
        var client = silo.Client();
        var key = Http.NewId("cache");
        foreach (var body in BadBodies)
        {
            foreach (var path in new[] { $"/v1/cache/{key}", $"/v1/system/state/{key}" })
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                await client.PutAsync(path, content).ExpectProblem(400);
                await client.GetAsync(path).ExpectProblem(404);
            }
        }

        await client.PutAsync($"/v1/cache/{key}", Http.Body("""{"value":{"ok":"café \u00e9","n":1.5e308}}""")).Expect(204);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteValue();
}
