using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansMemory.Silo.Tests;

/// <summary>Scopes mean what they say: the route x scope table of docs/http-api.md is the silo's, every route refuses (403) exactly
/// the keys the table says, and write-only keys never read stored content through a write.</summary>
[Collection(SiloCollection.Name)]
public sealed partial class ScopeTests(SiloFactory silo)
{
    private static readonly (string Key, string Scope)[] SingleScopeKeys =
    [
        (SiloFactory.ReadOnlyA, "read"), (SiloFactory.WriteOnlyA, "write"), (SiloFactory.AdminA, "admin"), (SiloFactory.Operator, "operator"),
    ];

    [Fact]
    public void The_readme_table_lists_every_v1_route_with_its_scope()
    {
        var actual = Routes().Select(r => $"| {r.Method} | `{r.Pattern}` | {r.Scope} |").Order(StringComparer.Ordinal).ToList();
        var documented = ReadmeRows().Order(StringComparer.Ordinal).ToList();
        Assert.True(actual.SequenceEqual(documented),
            "docs/http-api.md's route x scope table differs from the silo. The silo's rows:\n" + string.Join('\n', actual));
    }

    [Fact]
    public async Task Every_route_refuses_exactly_the_keys_without_its_scope()
    {
        var failures = new List<string>();
        foreach (var (method, pattern, scope) in Routes())
        {
            var url = Placeholder().Replace(pattern, m => "walk-" + m.Groups[1].Value.ToLowerInvariant());
            foreach (var (key, keyScope) in SingleScopeKeys)
            {
                var allowed = scope is "none" or "any" || scope == keyScope || (keyScope == "admin" && scope is "read" or "write");
                using var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = Http.Body("{}");
                }

                using var response = await silo.Client(key).SendAsync(request);
                if (((int)response.StatusCode == 403) == allowed || (int)response.StatusCode == 401)
                {
                    failures.Add($"{method} {url} with a {keyScope} key: {(int)response.StatusCode}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task A_write_only_key_never_reads_stored_text_through_a_write()
    {
        var user = Http.NewId("user");
        var reader = silo.Client();
        var writer = silo.Client(SiloFactory.WriteOnlyA);
        var stored = await reader.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"secret-marker-7f3a lives here","embedding":[1,0,0],"metadata":{"k":"secret-meta"}}""")).Expect(201);
        var memoryId = stored.GetProperty("memory").GetProperty("id").GetString();

        var duplicate = await writer.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"marker lives here, a guess","embedding":[1,0.001,0]}""")).Expect(200);
        Assert.Equal("duplicate", duplicate.GetProperty("outcome").GetString());
        Assert.Equal(memoryId, duplicate.GetProperty("id").GetString());
        using var conflictResponse = await writer.PostAsync($"/v1/users/{user}/memories", Http.Body("""{"text":"I live in Rome","embedding":[0.85,0.5,0]}"""));
        Assert.True(conflictResponse.IsSuccessStatusCode);
        var conflict = await conflictResponse.Json();
        var responses = new[]
        {
            duplicate.GetRawText(),
            conflict.GetRawText(),
            (await writer.PatchAsync($"/v1/users/{user}/memories/{memoryId}", Http.Body("""{"importance":0.9}""")).Expect(200)).GetRawText(),
            (await writer.PostAsync($"/v1/users/{user}/memories/{memoryId}/archive", Http.Body("{}")).Expect(200)).GetRawText(),
        };
        foreach (var response in responses)
        {
            Assert.DoesNotContain("secret-marker-7f3a", response);
            Assert.DoesNotContain("secret-meta", response);
        }

        Assert.Contains("secret-marker-7f3a", (await reader.GetAsync($"/v1/users/{user}/memories/{memoryId}").Expect(200)).GetRawText());
    }

    private IEnumerable<(string Method, string Pattern, string Scope)> Routes() =>
        silo.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (
                m,
                e.RoutePattern.RawText!.TrimEnd('/'),
                e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null) ?? "none")));

    private static IEnumerable<string> ReadmeRows()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "README.md")) || directory?.GetFiles("*.sln").Length == 0)
        {
            directory = directory!.Parent;
        }

        return File.ReadLines(Path.Combine(directory!.FullName, "docs", "http-api.md")).Where(l => ReadmeRow().IsMatch(l)).Select(l => l.Trim());
    }

    [GeneratedRegex("\\{(\\w+)\\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("^\\| (GET|POST|PUT|PATCH|DELETE) \\| `/v1")]
    private static partial Regex ReadmeRow();
}
