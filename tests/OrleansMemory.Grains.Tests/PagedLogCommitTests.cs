using Microsoft.Extensions.DependencyInjection;
using OrleansMemory.Abstractions;
using OrleansMemory.Grains.Storage;

namespace OrleansMemory.Grains.Tests;

/// <summary>What commits an append to a paged log (<see cref="Storage.PagedLog{T}"/>), on real file storage: within
/// the tail page the page write alone (the count is the tail page's), when the tail moves the head written after the
/// pages; a failure part-way leaves nothing of the append, and the next append writes over what it left.</summary>
public sealed class PagedLogCommitTests
{
    private const int Dim = 8;

    [Fact]
    public async Task Appends_within_the_tail_page_write_no_head_and_a_failed_import_leaves_nothing()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.File);
        var user = cluster.Factory.GetGrain<IUserGrain>("paged-log-" + Guid.NewGuid().ToString("N"));
        var id = user.GetGrainId();
        var random = new Random(3);
        ImportedMemory Memory(string text) => new(text, Vectors.Random(Dim, random));
        await user.ImportMemoriesAsync([.. Enumerable.Range(0, 100).Select(i => Memory($"imported {i}"))]); // pages 0 (64) and 1 (36)

        var heads = cluster.Storage.WritesOf(id, "memories/head");
        var tail = cluster.Storage.WritesOf(id, "memories/000001");
        await user.AddMemoryAsync("one more", Vectors.Random(Dim, random));
        Assert.Equal(heads, cluster.Storage.WritesOf(id, "memories/head")); // no head write...
        Assert.Equal(tail + 1, cluster.Storage.WritesOf(id, "memories/000001")); // ...only the tail page
        await cluster.DeactivateAsync(user);
        Assert.Equal(101, (await user.GetStatsAsync()).MemoryCount); // the count comes back from the tail page

        // An import that fills the tail page and goes on to new pages; its final head write fails (the first head
        // write switches the log to an exact count, so the items already in the tail page stay invisible).
        cluster.Storage.FailNextWriteOf(id, "memories/head", skip: 1);
        await Assert.ThrowsAnyAsync<Exception>(() => user.ImportMemoriesAsync([.. Enumerable.Range(0, 100).Select(i => Memory($"lost {i}"))]));
        Assert.Equal(101, (await user.GetStatsAsync()).MemoryCount);
        await cluster.DeactivateAsync(user);
        var afterFailure = await user.ListMemoriesAsync(limit: 1000);
        Assert.Equal(101, afterFailure.TotalCount);
        Assert.DoesNotContain(afterFailure.Memories, m => m.Text.StartsWith("lost", StringComparison.Ordinal));

        // The next append writes over what the failed one left and returns to counting the tail page.
        await user.AddMemoryAsync("after the failure", Vectors.Random(Dim, random));
        await user.AddMemoryAsync("and one more", Vectors.Random(Dim, random));
        await cluster.DeactivateAsync(user);
        var final = await user.ListMemoriesAsync(limit: 1000);
        Assert.Equal(103, final.TotalCount);
        Assert.Equal(["after the failure", "and one more"], final.Memories.Skip(101).Select(m => m.Text));
        Assert.DoesNotContain(final.Memories, m => m.Text.StartsWith("lost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_append_that_starts_a_page_is_committed_by_the_head()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.File);
        var user = cluster.Factory.GetGrain<IUserGrain>("paged-log-" + Guid.NewGuid().ToString("N"));
        var id = user.GetGrainId();
        var random = new Random(4);
        await user.ImportMemoriesAsync([.. Enumerable.Range(0, 64).Select(i => new ImportedMemory($"imported {i}", Vectors.Random(Dim, random)))]); // page 0 full

        cluster.Storage.FailNextWriteOf(id, "memories/head"); // the new page 1 is written, its head is not
        await Assert.ThrowsAnyAsync<Exception>(() => user.AddMemoryAsync("lost", Vectors.Random(Dim, random)));
        await cluster.DeactivateAsync(user);
        Assert.Equal(64, (await user.GetStatsAsync()).MemoryCount);

        var heads = cluster.Storage.WritesOf(id, "memories/head");
        await user.AddMemoryAsync("kept", Vectors.Random(Dim, random));
        Assert.Equal(heads + 1, cluster.Storage.WritesOf(id, "memories/head")); // the tail moved: the head commits it
        await user.AddMemoryAsync("kept too", Vectors.Random(Dim, random));
        Assert.Equal(heads + 1, cluster.Storage.WritesOf(id, "memories/head")); // within the tail page: no head
        await cluster.DeactivateAsync(user);
        var final = await user.ListMemoriesAsync(limit: 1000);
        Assert.Equal(["kept", "kept too"], final.Memories.Skip(64).Select(m => m.Text));
    }

    [Fact]
    public async Task A_log_trimmed_to_its_end_at_a_page_boundary_keeps_its_count()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.File);
        var storage = cluster.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>("Default");
        var grainId = GrainId.Create("test", Guid.NewGuid().ToString("N"));
        PagedLog<string> Open() => new(storage, grainId, "log", pageSize: 4);

        var log = Open();
        await log.AppendAsync(["i0", "i1", "i2", "i3", "i4", "i5", "i6", "i7"]); // two full pages
        await log.TrimBeforeAsync(8); // every item dropped: both pages deleted, the tail page with them
        log = Open();
        await log.LoadAsync();
        Assert.Equal(8, log.Count); // the head's count, not the missing tail page's
        Assert.Empty(await log.ReadAllAsync());

        await log.AppendAsync(["i8"]);
        await log.AppendAsync(["i9"]);
        log = Open();
        await log.LoadAsync();
        Assert.Equal(10, log.Count);
        Assert.Equal(["i8", "i9"], await log.ReadAllAsync());
    }
}
