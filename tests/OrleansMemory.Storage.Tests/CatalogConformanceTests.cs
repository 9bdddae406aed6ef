namespace OrleansMemory.Storage.Tests;

/// <summary>The contract of durable providers with a catalog (file, SQLite, PostgreSQL, Redis): everything of
/// <see cref="GrainStorageConformanceTests"/>, plus durability across silos and the <see cref="IGrainStorageCatalog"/>.</summary>
public abstract class CatalogConformanceTests : GrainStorageConformanceTests
{
    protected IGrainStorageCatalog Catalog => Host.GetCatalog(ProviderName) ?? throw new InvalidOperationException("The provider registered no catalog.");

    [StorageFact]
    public async Task Data_survives_a_new_silo()
    {
        var id = Id("durable");
        var written = await WriteAsync(Storage, id, "kept");
        await Catalog.WriteRecordAsync(Id("raw", "system"), "config", "{\"a\":1}"u8.ToArray(), null);
        var reopened = await ReopenAsync();
        var read = await ReadAsync(reopened, id);
        Assert.Equal("kept", read.State!.Text);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal("{\"a\":1}"u8.ToArray(), (await Catalog.ReadRecordAsync(Id("raw", "system"), "config"))!.Payload);
    }

    [StorageFact]
    public async Task Odd_keys_are_listed_and_counted()
    {
        foreach (var key in OddKeys)
        {
            await WriteAsync(Storage, Id(key), "value of " + key);
        }

        var listed = new List<string>();
        await foreach (var id in Catalog.StreamGrainIdsAsync("conversation", pageSize: 5))
        {
            listed.Add(id.Key.ToString()!);
        }

        Assert.Equal(OddKeys.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Equal(OddKeys.Length, (await Catalog.GetStatisticsAsync()).RecordCount);
        foreach (var key in OddKeys)
        {
            var record = await Catalog.ReadRecordAsync(Id(key), "state");
            Assert.Equal((await ReadAsync(Storage, Id(key))).ETag, record?.ETag);
        }
    }

    [StorageFact]
    public async Task Odd_state_names_and_grain_types_are_listed()
    {
        string[] names = ["a/b", "..", "../../etc", "", "messages/000042", new string('s', 1000), "🙂"];
        foreach (var name in names)
        {
            await WriteAsync(Storage, Id("k", "type" + names.ToList().IndexOf(name)), name, stateName: name);
        }

        for (var i = 0; i < names.Length; i++)
        {
            Assert.Equal([names[i]], await Catalog.ListStateNamesAsync(Id("k", "type" + i)));
        }

        Assert.Equal(names.Select((_, i) => "type" + i).Order(StringComparer.Ordinal), await Catalog.ListGrainTypesAsync());
    }

    [StorageFact]
    public async Task A_stale_catalog_write_throws_and_changes_nothing()
    {
        var id = Id("c");
        var first = await WriteAsync(Storage, id, "v1");
        var second = await WriteAsync(Storage, id, "v2", first.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Catalog.WriteRecordAsync(id, "state", "{}"u8.ToArray(), first.ETag));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Catalog.WriteRecordAsync(id, "state", "{}"u8.ToArray(), null));
        var read = await ReadAsync(Storage, id);
        Assert.Equal("v2", read.State!.Text);
        Assert.Equal(second.ETag, read.ETag);
        Assert.Equal(second.ETag, (await Catalog.ReadRecordAsync(id, "state"))!.ETag);
    }

    [StorageFact]
    public async Task Catalog_listing_and_statistics_agree_with_what_was_written()
    {
        var expected = new Dictionary<GrainId, string[]>();
        for (var i = 0; i < 12; i++)
        {
            var id = Id($"c{i:D2}");
            expected[id] = i % 3 == 0 ? ["state", "messages/000001"] : ["state"];
            foreach (var stateName in expected[id])
            {
                await WriteAsync(Storage, id, $"{id}:{stateName}", stateName: stateName);
            }
        }

        for (var i = 0; i < 5; i++)
        {
            var id = Id($"a{i}", "agent");
            expected[id] = ["reasoning_chains"];
            await WriteAsync(Storage, id, "chain", stateName: "reasoning_chains");
        }

        Assert.Equal(["agent", "conversation"], await Catalog.ListGrainTypesAsync());

        var paged = new List<GrainId>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Catalog.ListGrainIdsAsync("conversation", token, 5);
            Assert.True(page.Ids.Count <= 5);
            paged.AddRange(page.Ids);
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.InRange(pages, 3, 4);
        Assert.Equal(expected.Keys.Where(k => k.Type.ToString() == "conversation").OrderBy(k => k.Key.ToString(), StringComparer.Ordinal), paged.OrderBy(k => k.Key.ToString(), StringComparer.Ordinal));
        Assert.Equal(paged.Count, paged.Distinct().Count());

        long bytes = 0;
        foreach (var (id, stateNames) in expected)
        {
            Assert.Equal(stateNames.Order(StringComparer.Ordinal), await Catalog.ListStateNamesAsync(id));
            foreach (var stateName in stateNames)
            {
                var record = await Catalog.ReadRecordAsync(id, stateName);
                Assert.NotNull(record);
                Assert.Equal(id, record.GrainId);
                Assert.Equal(stateName, record.StateName);
                Assert.Equal((await ReadAsync(Storage, id, stateName)).ETag, record.ETag);
                Assert.InRange(record.ModifiedAt, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(10));
                bytes += record.Payload.Length;
            }
        }

        var stats = await Catalog.GetStatisticsAsync();
        Assert.Equal(["agent", "conversation"], stats.GrainTypes.Select(t => t.GrainType));
        var conversations = stats.GrainTypes[1];
        Assert.Equal(12, conversations.GrainCount);
        Assert.Equal(16, conversations.RecordCount);
        Assert.Equal(5, stats.GrainTypes[0].RecordCount);
        Assert.Equal(bytes, stats.PayloadBytes);
    }

    [StorageFact]
    public async Task Raw_records_keep_their_bytes_and_work_with_ETags()
    {
        var id = Id("raw");
        byte[] payload = [.. "{\n  \"text\": \"raw é\",\n  \"number\": 7\n}"u8];
        var eTag = await Catalog.WriteRecordAsync(id, "state", payload, null);

        var record = await Catalog.ReadRecordAsync(id, "state");
        Assert.Equal(payload, record!.Payload);
        Assert.Equal(eTag, record.ETag);

        var read = await ReadAsync(Storage, id);
        Assert.Equal("raw é", read.State!.Text);
        Assert.Equal(7, read.State!.Number);
        Assert.Equal(eTag, read.ETag);

        var next = await WriteAsync(Storage, id, "typed", read.ETag);
        byte[] overwrite = [.. "{\"text\":\"again\"}"u8];
        var third = await Catalog.WriteRecordAsync(id, "state", overwrite, next.ETag);
        Assert.Equal(overwrite, (await Catalog.ReadRecordAsync(id, "state"))!.Payload);
        Assert.Equal(third, (await ReadAsync(Storage, id)).ETag);

        byte[] notJson = [0, 1, 2, 255, 0x5C, 0x75, 0x30, 0x30, 0x30, 0x30];
        await Catalog.WriteRecordAsync(Id("bin", "cache"), "blob", notJson, null);
        Assert.Equal(notJson, (await Catalog.ReadRecordAsync(Id("bin", "cache"), "blob"))!.Payload);
    }

    [StorageFact]
    public async Task Delete_grain_removes_every_record_of_that_grain_only()
    {
        var id = Id("doomed");
        await WriteAsync(Storage, id, "a", stateName: "one");
        await WriteAsync(Storage, id, "b", stateName: "two");
        await WriteAsync(Storage, Id("kept"), "c");

        Assert.Equal(2, await Catalog.DeleteGrainAsync(id));
        Assert.Empty(await Catalog.ListStateNamesAsync(id));
        Assert.False((await ReadAsync(Storage, id, "one")).RecordExists);
        Assert.Equal([Id("kept")], (await Catalog.ListGrainIdsAsync("conversation", null, 10)).Ids);
        Assert.Equal(0, await Catalog.DeleteGrainAsync(id));
        await WriteAsync(Storage, id, "reborn", stateName: "one");
        Assert.Equal("reborn", (await ReadAsync(Storage, id, "one")).State!.Text);
    }

    [StorageFact]
    public async Task Catalog_calls_honour_cancellation()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Catalog.GetStatisticsAsync(cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Catalog.WriteRecordAsync(Id("x"), "state", "{}"u8.ToArray(), null, cancelled.Token));
        Assert.Null(await Catalog.ReadRecordAsync(Id("x"), "state"));
    }
}
