using System.Numerics.Tensors;
using OrleansMemory.Abstractions;
using OrleansMemory.Grains.Users;

namespace OrleansMemory.Grains.Tests;

/// <summary>Users past the exact-scan size (<see cref="EmbeddingMatrix.ExactScanRows"/>): the int8 scan with exact
/// re-rank, filters through row columns and the metadata index, writes that stay on the tail page, activation from
/// many pages.</summary>
public sealed class LargeUserTests
{
    private const int Dim = 64;

    [Fact]
    public void Pages_written_with_embeddings_as_base64_strings_read_as_the_same_bytes()
    {
        // Earlier versions wrote StoredMemory.Embedding as a string (base64 of the float32 bytes); it is now byte[],
        // which System.Text.Json writes and reads as the same base64 string.
        var vector = EmbeddingMatrix.Normalize(Vectors.Random(Dim, new Random(3)));
        var memory = new SemanticMemory("m1", "text", MemoryTypes.Fact, 0.5, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1);
        var options = OrleansMemory.Storage.MemoryStateJson.CreateOptions(writeIndented: false);
        var old = System.Text.Json.JsonSerializer.Serialize(new { items = new[] { new { id = "m1", memory, embedding = Convert.ToBase64String(EmbeddingMatrix.Encode(vector)) } } }, options);
        var page = System.Text.Json.JsonSerializer.Deserialize<OrleansMemory.Grains.Storage.LogPage<StoredMemory>>(old, options)!;
        Assert.Equal(EmbeddingMatrix.Encode(vector), page.Items[0].Embedding);

        // And the other way: a page written now reads as the same base64 string (the encoder no longer escapes '+').
        var now = System.Text.Json.JsonSerializer.Serialize(page, options);
        using var document = System.Text.Json.JsonDocument.Parse(now);
        Assert.Equal(Convert.ToBase64String(EmbeddingMatrix.Encode(vector)), document.RootElement.GetProperty("items")[0].GetProperty("embedding").GetString());

        var matrix = new EmbeddingMatrix();
        matrix.ResetForLoad(Dim, 2);
        Assert.Equal(RowState.Live, matrix.DecodeRow(0, page.Items[0].Embedding, RowState.Live));
        Assert.Equal(RowState.Deleted, matrix.DecodeRow(1, new byte[7], RowState.Live)); // malformed: a deleted row, not a failure
        Assert.Equal(vector, matrix.Row(0).ToArray());
        Assert.Equal(RowState.Deleted, matrix.GetState(1));
    }

    [Fact]
    public async Task A_large_user_filters_like_a_scan_and_an_add_writes_only_tail_pages()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.File);
        var user = cluster.Factory.GetGrain<IUserGrain>("large");
        var random = new Random(5);
        var vectors = new List<float[]>();
        var imported = new List<ImportedMemory>();
        for (var i = 0; i < 3000; i++)
        {
            var v = Vectors.Random(Dim, random);
            vectors.Add(v);
            imported.Add(new ImportedMemory($"memory {i}", v, i % 2 == 0 ? MemoryTypes.Fact : MemoryTypes.Preference, i % 10 / 10.0,
                Metadata.From(("topic", $"t{i % 3}"), ("n", i % 4))));
        }

        var ids = await user.ImportMemoriesAsync(imported);
        var query = Vectors.Random(Dim, random);
        var normalized = EmbeddingMatrix.Normalize(query);
        List<string> Expected(Func<int, bool> keep) => [.. Enumerable.Range(0, vectors.Count).Where(keep)
            .OrderByDescending(i => TensorPrimitives.Dot(EmbeddingMatrix.Normalize(vectors[i]), normalized)).Take(5).Select(i => ids[i])];

        var filters = new (MemoryFilter Filter, Func<int, bool> Keep)[]
        {
            (new MemoryFilter(Types: [MemoryTypes.Preference]), i => i % 2 == 1),
            (new MemoryFilter(MinImportance: 0.7), i => i % 10 >= 7),
            (new MemoryFilter(Metadata: Metadata.From(("topic", "t2"))), i => i % 3 == 2),
            (new MemoryFilter(Types: [MemoryTypes.Fact], Metadata: Metadata.From(("topic", "t1"), ("n", 2))), i => i % 2 == 0 && i % 3 == 1 && i % 4 == 2),
        };
        foreach (var (filter, keep) in filters)
        {
            Assert.Equal(Expected(keep), (await user.SearchAsync(query, 5, filter: filter)).Select(r => r.Memory.Id));
        }

        // The metadata index follows updates: memory 2 (topic t2) becomes t1 with n 2 and a fact.
        await user.UpdateMemoryAsync(ids[2], new MemoryUpdate(Metadata: Metadata.From(("topic", "t1"), ("n", 2))));
        var hits = await user.SearchAsync(vectors[2], 3, filter: filters[3].Filter);
        Assert.Equal(ids[2], hits[0].Memory.Id);
        Assert.DoesNotContain(await user.SearchAsync(vectors[2], 3, filter: filters[2].Filter), r => r.Memory.Id == ids[2]);

        // One more memory: the memory log rewrites its tail page, the history log its tail page; neither moves to a new
        // page, so neither head is written (the tail page's items are the count).
        var before = cluster.Storage.Writes;
        var bytes = cluster.Storage.BytesWritten;
        var heads = cluster.Storage.WritesOf(user.GetGrainId(), "memories/head") + cluster.Storage.WritesOf(user.GetGrainId(), "history/head");
        await user.AddMemoryAsync("one more", Vectors.Random(Dim, random));
        Assert.Equal(2, cluster.Storage.Writes - before);
        Assert.Equal(heads, cluster.Storage.WritesOf(user.GetGrainId(), "memories/head") + cluster.Storage.WritesOf(user.GetGrainId(), "history/head"));
        // At most a page of 64 memories with base64 embeddings and a page of 200 history events: not the user's 3,000.
        Assert.True(cluster.Storage.BytesWritten - bytes < (64 * ((Dim * 4 * 4 / 3) + 400)) + (200 * 300), $"{cluster.Storage.BytesWritten - bytes} bytes written");
        var live = cluster.Storage.LiveRecords(user.GetGrainId());
        Assert.Contains("memories/000046", live);
        Assert.Contains("memories/head", live);
    }

    [Theory]
    [InlineData(384, 24)]
    [InlineData(1536, 7)]
    [InlineData(64, 64)]
    public async Task With_64_KiB_pages_a_new_users_memory_pages_hold_what_fits_and_an_add_writes_at_most_that(int dimension, int perPage)
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.File, configure: o => o.MemoryPageBytes = 64 * 1024);
        var user = cluster.Factory.GetGrain<IUserGrain>($"pages-{dimension}");
        var random = new Random(dimension);
        await user.ImportMemoriesAsync([.. Enumerable.Range(0, (2 * perPage) + 1).Select(i => new ImportedMemory($"memory {i}", Vectors.Random(dimension, random)))]);
        var live = cluster.Storage.LiveRecords(user.GetGrainId());
        Assert.Contains("memories/000002", live); // 2 full pages and one memory on the third
        Assert.DoesNotContain("memories/000003", live);

        var bytes = cluster.Storage.BytesWritten;
        await user.AddMemoryAsync("one more", Vectors.Random(dimension, random));
        var memoryPage = cluster.Storage.LastWriteBytes(user.GetGrainId(), "memories/000002");
        Assert.True(memoryPage < 85_000, $"the tail page is {memoryPage} bytes: in the large object heap");
        Assert.True(cluster.Storage.BytesWritten - bytes < 85_000 + (200 * 300), $"{cluster.Storage.BytesWritten - bytes} bytes written");
    }

    [Fact]
    public async Task By_default_a_new_users_memory_pages_hold_64_memories_at_1536_dimensions()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.File);
        var user = cluster.Factory.GetGrain<IUserGrain>("pages-default");
        var random = new Random(3);
        await user.ImportMemoriesAsync([.. Enumerable.Range(0, 65).Select(i => new ImportedMemory($"memory {i}", Vectors.Random(1536, random)))]);
        var live = cluster.Storage.LiveRecords(user.GetGrainId());
        Assert.Contains("memories/000001", live);
        Assert.DoesNotContain("memories/000002", live);
    }

    [Fact]
    public async Task A_large_user_activates_from_its_pages_with_every_memory_and_its_history()
    {
        var directory = MemoryCluster.NewDirectory();
        try
        {
            string[] ids;
            var random = new Random(9);
            var vectors = Enumerable.Range(0, 2500).Select(_ => Vectors.Random(Dim, random)).ToArray();
            await using (var first = await MemoryCluster.StartAsync(StorageKind.File, directory, o => o.StorageReadAhead = 4))
            {
                var user = first.Factory.GetGrain<IUserGrain>("restart");
                ids = [.. await user.ImportMemoriesAsync([.. vectors.Select((v, i) => new ImportedMemory($"m{i}", v, Metadata: Metadata.From(("k", i % 2 == 0))))])];
                await user.DeleteMemoryAsync(ids[100]);
                await user.ArchiveMemoryAsync(ids[200]);
            }

            await using var second = await MemoryCluster.StartAsync(StorageKind.File, directory);
            var again = second.Factory.GetGrain<IUserGrain>("restart");
            Assert.Equal(ids[7], (await again.SearchAsync(vectors[7], 1))[0].Memory.Id);
            Assert.DoesNotContain(await again.SearchAsync(vectors[100], 3), r => r.Memory.Id == ids[100]);
            Assert.DoesNotContain(await again.SearchAsync(vectors[200], 3), r => r.Memory.Id == ids[200]);
            Assert.Equal(ids[200], (await again.SearchAsync(vectors[200], 1, filter: new MemoryFilter(IncludeArchived: true)))[0].Memory.Id);
            Assert.Equal(ids[8], (await again.SearchAsync(vectors[8], 1, filter: new MemoryFilter(Metadata: Metadata.From(("k", true)))))[0].Memory.Id);
            var stats = await again.GetStatsAsync();
            Assert.Equal(2498, stats.MemoryCount);
            Assert.Equal([MemoryEventKind.Added, MemoryEventKind.Archived], (await again.GetHistoryAsync(ids[200])).Select(e => e.Kind));
            Assert.Equal([MemoryEventKind.Added, MemoryEventKind.Deleted], (await again.GetHistoryAsync(ids[100])).Select(e => e.Kind));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
