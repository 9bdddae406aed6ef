using System.Text.Json;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>Activation decodes memory pages in parallel on the thread pool into compact rows: what a fresh activation
/// answers must be what the grain answered before, and a missing page must not move the rows after it.</summary>
public sealed class UserActivationTests
{
    private const int Dim = 16;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static async Task<string[]> WriteUserAsync(IUserGrain user)
    {
        var random = new Random(11);
        var imported = Enumerable.Range(0, 300).Select(i => new ImportedMemory($"memory {i} ✓", Vectors.Random(Dim, random), i % 3 == 0 ? "event" : MemoryTypes.Fact,
            i % 10 / 10.0, new Dictionary<string, JsonElement> { ["topic"] = JsonSerializer.SerializeToElement($"t{i % 4}"), ["n"] = JsonSerializer.SerializeToElement(i) },
            new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.FromHours(2)).AddMinutes(i))).ToArray();
        var ids = (await user.ImportMemoriesAsync(imported)).ToArray();
        await user.ArchiveMemoryAsync(ids[3], ids[4], "older");
        await user.DeleteMemoryAsync(ids[70]);
        await user.UpdateMemoryAsync(ids[150], new MemoryUpdate(Text: "changed", Importance: 0.95));
        return ids;
    }

    private static async Task<string> SnapshotAsync(IUserGrain user, string[] ids, float[] query)
    {
        var list = await user.ListMemoriesAsync(0, 1000, includeArchived: true);
        var live = await user.ListMemoriesAsync(10, 50);
        var stats = await user.GetStatsAsync();
        var found = await user.SearchAsync(query, 20);
        var filtered = await user.SearchAsync(query, 20, filter: new MemoryFilter(Types: ["event"], Metadata: new Dictionary<string, JsonElement> { ["n"] = JsonSerializer.SerializeToElement(3) }, IncludeArchived: true));
        var got = await Task.WhenAll(ids.Select(id => user.GetMemoryAsync(id)));
        return JsonSerializer.Serialize(new { list, live, stats, found, filtered, got }, Json);
    }

    [Fact]
    public async Task A_fresh_activation_answers_exactly_what_the_grain_answered_before()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.File);
        var user = cluster.Factory.GetGrain<IUserGrain>("activation/same");
        var ids = await WriteUserAsync(user);
        var query = Vectors.Random(Dim, new Random(5));
        var before = await SnapshotAsync(user, ids, query);

        await cluster.DeactivateAsync(user);
        var after = await SnapshotAsync(user, ids, query);

        Assert.Equal(before, after);
        Assert.Contains("\"changed\"", after, StringComparison.Ordinal);
        Assert.Equal(299, (await user.GetStatsAsync()).MemoryCount + (await user.GetStatsAsync()).ArchivedCount);
    }

    [Fact]
    public async Task A_missing_page_leaves_its_rows_empty_and_later_memories_in_place()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.File);
        var user = cluster.Factory.GetGrain<IUserGrain>("activation/missing");
        var ids = await WriteUserAsync(user);
        var later = await user.GetMemoryAsync(ids[200]);
        var laterVector = await user.GetEmbeddingAsync(ids[200]);
        await cluster.DeactivateAsync(user);
        File.Delete(cluster.FilePath(user.GetGrainId(), "memories/000001")); // items 64-127

        Assert.Null(await user.GetMemoryAsync(ids[100]));
        Assert.Equal(JsonSerializer.Serialize(later, Json), JsonSerializer.Serialize(await user.GetMemoryAsync(ids[200]), Json));
        Assert.Equal(laterVector, await user.GetEmbeddingAsync(ids[200]));
        Assert.Equal(ids[200], (await user.SearchAsync(laterVector!, 1))[0].Memory.Id);
        var updated = await user.UpdateMemoryAsync(ids[250], new MemoryUpdate(Text: "after the gap"));

        await cluster.DeactivateAsync(user);
        Assert.Equal("after the gap", (await user.GetMemoryAsync(ids[250]))!.Text);
        Assert.Equal(updated.Text, (await user.ListMemoriesAsync(0, 1000)).Memories.Single(m => m.Id == ids[250]).Text);
    }

    [Fact]
    public async Task Searches_running_beside_updates_and_compactions_see_whole_memories()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.Memory);
        var user = cluster.Factory.GetGrain<IUserGrain>("activation/concurrent");
        var random = new Random(17);
        const int Count = 3000; // above EmbeddingMatrix.ExactScanRows: searches run on the thread pool under the read lock
        var vectors = Enumerable.Range(0, Count).Select(_ => Vectors.Random(Dim, random)).ToArray();
        var ids = await user.ImportMemoriesAsync([.. vectors.Select((v, i) => new ImportedMemory($"memory {i}", v, MemoryTypes.Fact, 0.5,
            new Dictionary<string, JsonElement> { ["n"] = JsonSerializer.SerializeToElement(i % 5) }))]);
        var index = ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var padding = new string('p', 3000); // 3 KB per update: the rows' arena is compacted many times below

        using var stop = new CancellationTokenSource();
        var filter = new MemoryFilter(Metadata: new Dictionary<string, JsonElement> { ["n"] = JsonSerializer.SerializeToElement(2) });
        var checkedResults = 0;
        var searchers = Enumerable.Range(0, 4).Select(s => Task.Run(async () =>
        {
            var r = new Random(s);
            while (!stop.IsCancellationRequested)
            {
                foreach (var hit in await user.SearchAsync(vectors[(r.Next(100) * 5) + 2], 10, filter: filter))
                {
                    var i = index[hit.Memory.Id];
                    Assert.Equal(2, i % 5);
                    Assert.Equal(2, hit.Memory.Metadata!["n"].GetInt32());
                    Assert.True(hit.Memory.Text == $"memory {i}" || hit.Memory.Text.StartsWith($"updated {i} ", StringComparison.Ordinal), hit.Memory.Text);
                    Interlocked.Increment(ref checkedResults);
                }
            }
        })).ToArray();

        for (var round = 0; round < 600; round++)
        {
            var i = (random.Next(100) * 5) + 2; // 100 memories updated 6 times each: 1.8 MB of replaced records, compacted on the way
            await user.UpdateMemoryAsync(ids[i], new MemoryUpdate(Text: $"updated {i} {round} {padding}"));
        }

        await stop.CancelAsync();
        await Task.WhenAll(searchers);
        Assert.True(checkedResults > 0);
        Assert.All((await user.ListMemoriesAsync(0, 1000)).Memories, m => Assert.Equal(index[m.Id] % 5, m.Metadata!["n"].GetInt32()));
    }
}
