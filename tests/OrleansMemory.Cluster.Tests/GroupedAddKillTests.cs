using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansMemory.VectorIndex.Tests;
using Xunit.Abstractions;

namespace OrleansMemory.Cluster.Tests;

/// <summary>An acknowledged add is durable with group commit: 8 HTTP writers add to 2 users of one silo process (file
/// storage), so that adds go to the user grains in groups, until the process is killed (SIGKILL) mid-stream. Restarted
/// on the same directory, the silo holds every add that was answered, with its id and text.</summary>
public sealed class GroupedAddKillTests(ITestOutputHelper output)
{
    private const int Writers = 8;

    [Fact]
    public async Task Every_answered_add_survives_a_kill_of_the_silo()
    {
        var directory = Directory.CreateTempSubdirectory("omem-grouped-kill-");
        var settings = new Dictionary<string, string>
        {
            ["OrleansMemory:Storage:Type"] = "file",
            ["OrleansMemory:Storage:BaseDirectory"] = directory.FullName,
            ["OrleansMemory:Embeddings:Provider"] = "none",
            ["OrleansMemory:ShutdownTimeout"] = "00:00:05",
        };
        var answered = new ConcurrentBag<(string User, string Id, string Text)>();
        try
        {
            await using (var silo = await SiloProcess.StartReadyAsync("grouped-kill", settings, TimeSpan.FromSeconds(60)))
            {
                using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
                using var stop = new CancellationTokenSource();
                var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
                {
                    var random = new Random(w);
                    for (var n = 0; !stop.IsCancellationRequested; n++)
                    {
                        var (user, text) = ($"user-{w % 2}", $"writer {w} remembers fact {n}");
                        try
                        {
                            using var response = await http.PostAsJsonAsync($"/v1/users/{user}/memories", new { text, embedding = Vectors.Random(16, random) });
                            if (response.IsSuccessStatusCode)
                            {
                                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                                answered.Add((user, body.GetProperty("memory").GetProperty("id").GetString()!, text));
                            }
                        }
                        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
                        {
                            await Task.Delay(20); // the silo is gone: nothing was answered
                        }
                    }
                })).ToList();

                for (var waited = 0; answered.Count < 300 && waited < 300; waited++)
                {
                    await Task.Delay(100);
                }

                silo.Kill();
                await Task.Delay(500);
                await stop.CancelAsync();
                await Task.WhenAll(writers);
            }

            Assert.True(answered.Count >= 100, $"only {answered.Count} adds were answered before the kill");
            await using (var silo = await SiloProcess.StartReadyAsync("grouped-kill-restarted", settings, TimeSpan.FromSeconds(60)))
            {
                using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
                var stored = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var user in answered.Select(a => a.User).Distinct())
                {
                    for (var offset = 0; ; offset += 500)
                    {
                        var page = await http.GetFromJsonAsync<JsonElement>(string.Create(CultureInfo.InvariantCulture, $"/v1/users/{user}/memories?offset={offset}&limit=500"));
                        var memories = page.GetProperty("memories").EnumerateArray().ToList();
                        foreach (var memory in memories)
                        {
                            stored[memory.GetProperty("id").GetString()!] = memory.GetProperty("text").GetString()!;
                        }

                        if (memories.Count < 500)
                        {
                            break;
                        }
                    }
                }

                var lost = answered.Where(a => !stored.TryGetValue(a.Id, out var text) || text != a.Text).ToList();
                output.WriteLine($"{answered.Count} adds answered before the kill, {stored.Count} memories stored after the restart, {lost.Count} answered adds missing");
                Assert.Empty(lost);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
