using System.Text.RegularExpressions;
using OrleansMemory.VectorIndex.Tests;
using Xunit.Abstractions;

namespace OrleansMemory.Silo.Tests;

/// <summary>Concurrent HTTP adds to one user on a real Kestrel silo with file storage: adds that arrive while another is
/// in flight go to the user grain together and are stored with one write per changed record (group commit); each
/// caller still gets its own answer, every add is stored, and the metrics count each add. It runs alone: OpenTelemetry's
/// listener sees every in-process meter of the same name, so adds made by silos of tests running beside it would be
/// counted in this silo's <c>/metrics</c> too.</summary>
[Collection(MetricsCountedAlone.Name)]
public sealed partial class GroupedAddApiTests(ITestOutputHelper output)
{
    private const int Adds = 48;

    [Fact]
    public async Task Concurrent_adds_to_one_user_are_stored_together_and_each_is_answered()
    {
        var storage = Directory.CreateTempSubdirectory("omem-grouped-adds-");
        try
        {
            await using var silo = await SocketSilo.StartAsync("--OrleansMemory:Storage:Type=file", $"--OrleansMemory:Storage:BaseDirectory={storage.FullName}",
                "--OrleansMemory:Embeddings:Provider=none");
            var client = silo.Client;
            var random = new Random(11);
            var bodies = Enumerable.Range(0, Adds).Select(i => new { text = $"fact {i} of the grouped test", embedding = Vectors.Random(32, random) }).ToList();
            var answers = await Task.WhenAll(bodies.Select(body => client.PostJson("/v1/users/grouped/memories", body).Expect(201)));

            Assert.Equal(bodies.Select(b => b.text), answers.Select(a => a.GetProperty("memory").GetProperty("text").GetString()));
            Assert.Equal(Adds, answers.Select(a => a.GetProperty("memory").GetProperty("id").GetString()).Distinct().Count());
            var listed = await client.GetAsync("/v1/users/grouped/memories?limit=100").Expect(200);
            Assert.Equal(Adds, listed.GetProperty("total_count").GetInt32());

            var metrics = await (await client.GetAsync("/metrics")).Content.ReadAsStringAsync();
            Assert.Equal(Adds, Sum(OkAdds(), metrics));
            // One at a time, each add writes its memory page and its history page (and the first one the profile):
            // 2 x 48 + 1. Grouped, a group costs about what one add does.
            var writes = Sum(UserWrites(), metrics);
            output.WriteLine($"{Adds} concurrent adds: {writes} user record writes");
            Assert.InRange(writes, 3, Adds);
        }
        finally
        {
            storage.Delete(recursive: true);
        }
    }

    private static long Sum(Regex series, string metrics) => series.Matches(metrics).Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex("""orleansmemory_operations_total\{[^}]*grain_type="user"[^}]*operation="add_memory"[^}]*outcome="ok"[^}]*\} (\d+)""")]
    private static partial Regex OkAdds();

    [GeneratedRegex("""orleansmemory_storage_operations_total\{[^}]*grain_type="user"[^}]*operation="write"[^}]*\} (\d+)""")]
    private static partial Regex UserWrites();
}

/// <summary>Tests that count exact figures in <c>/metrics</c>: run after the parallel tests, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCountedAlone
{
    public const string Name = "metrics counted alone";
}
