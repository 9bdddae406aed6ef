using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace OrleansMemory.Cluster.Tests;

/// <summary>A silo process is killed with SIGKILL while a conversation forms its user's memories; a new silo process on
/// the same storage resumes from the cursor. Nothing is lost and nothing is formed twice: every fact message was offered
/// to the user exactly once, which the sum of the user's mention counts (a new memory counts 1, a duplicate adds 1)
/// shows, and each message has at most one formation record. Free loopback ports, file storage in a temporary folder.</summary>
public sealed class FormationCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Messages = 300;
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("omem-formation-crash-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task A_silo_killed_mid_formation_loses_nothing_and_forms_nothing_twice()
    {
        var settings = new Dictionary<string, string>
        {
            ["OrleansMemory:Storage:Type"] = "file",
            ["OrleansMemory:Storage:BaseDirectory"] = _directory.FullName,
            ["OrleansMemory:Grains:Formation:BatchSize"] = "10",
            ["OrleansMemory:Grains:Formation:Delay"] = "00:00:00.010",
        };
        long formedAtKill;
        await using (var first = await SiloProcess.StartReadyAsync("forming1", settings, TimeSpan.FromSeconds(90)))
        {
            using var http = new HttpClient { BaseAddress = first.BaseAddress };
            (await http.PutAsJsonAsync("/v1/conversations/crash/formation", new { user_id = "victim" })).EnsureSuccessStatusCode();
            for (var i = 0; i < Messages; i += 50)
            {
                var batch = Enumerable.Range(i, 50).Select(j => new { role = "user", content = $"I live in Town{j}." });
                (await http.PostAsJsonAsync("/v1/conversations/crash/messages", new { messages = batch })).EnsureSuccessStatusCode();
            }

            var deadline = DateTime.UtcNow.AddSeconds(120);
            while ((formedAtKill = (await StatusAsync(http)).GetProperty("formed_through").GetInt64()) < 20)
            {
                Assert.True(DateTime.UtcNow < deadline, "formation did not start");
                await Task.Delay(20);
            }

            first.Kill();
            output.WriteLine($"killed with {formedAtKill} of {Messages} messages formed");
        }

        Assert.True(formedAtKill < Messages, "the silo was killed after formation had finished; nothing was tested");
        await using var second = await SiloProcess.StartReadyAsync("forming2", settings, TimeSpan.FromSeconds(90));
        using var again = new HttpClient { BaseAddress = second.BaseAddress };
        var until = DateTime.UtcNow.AddSeconds(180);
        JsonElement status;
        while ((status = await StatusAsync(again)).GetProperty("pending").GetInt64() > 0)
        {
            Assert.True(DateTime.UtcNow < until, $"formation did not resume: {status}");
            await Task.Delay(100);
        }

        Assert.Equal(Messages, status.GetProperty("formed_through").GetInt64());
        var memories = (await again.GetFromJsonAsync<JsonElement>("/v1/users/victim/memories?include_archived=true&limit=1000")).GetProperty("memories");
        var mentions = memories.EnumerateArray().Sum(m => m.GetProperty("mention_count").GetInt32());
        Assert.Equal(Messages, mentions); // each fact message offered exactly once: none lost, none twice
        var records = await again.GetFromJsonAsync<JsonElement>("/v1/conversations/crash/memory-records?limit=1000");
        var sources = records.EnumerateArray().Select(r => r.GetProperty("source_start_sequence").GetInt64()).ToList();
        Assert.Equal(sources.Count, sources.Distinct().Count());
        Assert.All(memories.EnumerateArray(), m => Assert.Equal("crash", m.GetProperty("source").GetProperty("conversation_id").GetString()));
    }

    private static async Task<JsonElement> StatusAsync(HttpClient http) =>
        await http.GetFromJsonAsync<JsonElement>("/v1/conversations/crash/formation");
}
