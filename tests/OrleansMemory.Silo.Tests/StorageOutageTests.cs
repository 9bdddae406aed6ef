using System.Text.Json;
using OrleansMemory.Storage.Tests;
using Xunit.Abstractions;

namespace OrleansMemory.Silo.Tests;

/// <summary>A storage outage is a 503 that says so, never a 500: a silo on file storage whose disk fills up (a small
/// tmpfs) answers every failed write with 503, <c>Retry-After</c>, a problem naming the storage and, for a write,
/// <c>"outcome": "unknown"</c>; reads of what was stored keep working.</summary>
public sealed class StorageOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_full_disk_answers_503_with_an_unknown_outcome_and_never_500()
    {
        await using var disk = await SmallDisk.MountAsync("1m");
        if (disk is null)
        {
            output.WriteLine("Not run: mounting a tmpfs needs root (mount -t tmpfs).");
            return;
        }

        await using var silo = await SocketSilo.StartAsync($"--OrleansMemory:Storage:BaseDirectory={disk.Path}");
        var client = silo.Client;
        var text = new string('x', 4_000);
        int stored = 0, refused = 0;
        for (var i = 0; i < 1_000 && refused < 5; i++)
        {
            var embedding = string.Join(',', Enumerable.Range(0, 64).Select(d => d == i % 64 ? "1" : "0.01"));
            using var response = await client.PostAsync("/v1/users/outage/memories",
                Http.Body($$"""{"text":"{{text}} {{i}}","embedding":[{{embedding}}]}"""));
            var status = (int)response.StatusCode;
            Assert.True(status is 201 or 200 or 503, $"add {i} answered {status}: {await response.Content.ReadAsStringAsync()}");
            if (status == 503)
            {
                refused++;
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.True(response.Headers.RetryAfter is not null, "no Retry-After");
                var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                Assert.Equal("Storage unavailable", problem.GetProperty("title").GetString());
                Assert.Equal("unknown", problem.GetProperty("outcome").GetString());
                Assert.DoesNotContain(disk.Path, problem.GetRawText(), StringComparison.Ordinal); // no paths reach the caller
            }
            else
            {
                stored++;
            }
        }

        Assert.True(refused > 0 && stored > 0, $"stored {stored}, refused {refused}: the disk never filled");
        var listed = await client.GetAsync("/v1/users/outage/memories?limit=1").Expect(200);
        Assert.True(listed.GetProperty("total_count").GetInt32() >= stored - 1);
    }
}
