using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>Per-user retention of history, resolved conflicts and short-term messages: whole pages dropped from the
/// front of a log, nothing rewritten, the trimmed view the same after a restart.</summary>
public sealed class RetentionTests
{
    private const int Dim = 16;

    [Fact]
    public async Task History_beyond_the_count_limit_goes_by_whole_pages_without_rewriting_the_log()
    {
        var directory = MemoryCluster.NewDirectory();
        try
        {
            IReadOnlyList<string> ids;
            await using (var cluster = await MemoryCluster.StartAsync(StorageKind.File, directory, o => o.RecordPageSize = 10))
            {
                var user = cluster.Factory.GetGrain<IUserGrain>("counted");
                ids = await user.ImportMemoriesAsync([.. Enumerable.Range(0, 35).Select(i => new ImportedMemory($"m{i}", Vectors.Axis(Dim, i % Dim)))]);
                var writes = cluster.Storage.Writes;
                var applied = await user.SetRetentionAsync(new RetentionSettings(MaxHistoryEvents: 12));
                Assert.Equal(12, applied.MaxHistoryEvents);
                Assert.Equal(TimeSpan.FromDays(365), applied.MaxHistoryAge); // the silo's default for what the user left out
                Assert.Equal(2, cluster.Storage.Writes - writes); // the profile and the history head; no page rewritten

                var records = cluster.Storage.LiveRecords(user.GetGrainId());
                Assert.DoesNotContain("history/000000", records);
                Assert.DoesNotContain("history/000001", records);
                Assert.Contains("history/000002", records);
                Assert.Empty(await user.GetHistoryAsync(ids[22]));
                Assert.Equal([MemoryEventKind.Added], (await user.GetHistoryAsync(ids[23])).Select(e => e.Kind));
                await user.ArchiveMemoryAsync(ids[0]); // a new event for a memory whose old ones were dropped
            }

            await using var again = await MemoryCluster.StartAsync(StorageKind.File, directory, o => o.RecordPageSize = 10);
            var restarted = again.Factory.GetGrain<IUserGrain>("counted");
            Assert.Equal(12, (await restarted.GetRetentionAsync()).MaxHistoryEvents);
            Assert.Equal([MemoryEventKind.Archived], (await restarted.GetHistoryAsync(ids[0])).Select(e => e.Kind));
            Assert.Empty(await restarted.GetHistoryAsync(ids[23])); // 36 events, 12 kept: 24 onwards
            Assert.Equal([MemoryEventKind.Added], (await restarted.GetHistoryAsync(ids[24])).Select(e => e.Kind));
            Assert.Equal(35, (await restarted.GetStatsAsync()).MemoryCount + 1); // memories themselves are never dropped (one archived)
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task History_and_short_term_messages_older_than_the_age_limit_are_dropped()
    {
        var clock = new ManualTimeProvider();
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.Memory, configure: o => o.RecordPageSize = 10, services: clock.Register);
        var user = cluster.Factory.GetGrain<IUserGrain>("aged");
        var old = await user.ImportMemoriesAsync([.. Enumerable.Range(0, 15).Select(i => new ImportedMemory($"old {i}", Vectors.Axis(Dim, i % Dim)))]);
        await user.AddShortTermMessagesAsync([new ShortTermMessage(MessageRoles.User, "long ago")]);
        clock.Advance(TimeSpan.FromDays(10));
        var recent = await user.ImportMemoriesAsync([.. Enumerable.Range(0, 15).Select(i => new ImportedMemory($"new {i}", Vectors.Axis(Dim, i % Dim)))]);
        await user.AddShortTermMessagesAsync([new ShortTermMessage(MessageRoles.User, "just now")]);

        await user.SetRetentionAsync(new RetentionSettings(MaxHistoryAge: TimeSpan.FromDays(5), MaxShortTermAge: TimeSpan.FromHours(1)));
        foreach (var id in old)
        {
            Assert.Empty(await user.GetHistoryAsync(id));
        }

        foreach (var id in recent)
        {
            Assert.Single(await user.GetHistoryAsync(id));
        }

        Assert.Equal(["just now"], (await user.GetShortTermMessagesAsync()).Select(m => m.Content));
        Assert.DoesNotContain("history/000000", cluster.Storage.LiveRecords(user.GetGrainId()));
        Assert.Equal(30, (await user.GetStatsAsync()).MemoryCount);

        var error = await Assert.ThrowsAsync<MemoryValidationException>(() => user.SetRetentionAsync(new RetentionSettings(MaxHistoryEvents: 0)));
        Assert.Equal("settings.MaxHistoryEvents", error.ParamName);
        await Assert.ThrowsAsync<MemoryValidationException>(() => user.SetRetentionAsync(new RetentionSettings(MaxShortTermAge: TimeSpan.Zero)));
    }

    [Fact]
    public async Task Resolved_conflicts_beyond_the_limit_are_dropped_and_the_rest_still_resolve_after_a_restart()
    {
        var directory = MemoryCluster.NewDirectory();
        try
        {
            string openId;
            await using (var cluster = await MemoryCluster.StartAsync(StorageKind.File, directory, o =>
            {
                o.RecordPageSize = 2;
                o.AutoResolveSingletonConflicts = false;
            }))
            {
                var user = cluster.Factory.GetGrain<IUserGrain>("conflicted");
                var conflicts = new List<MemoryConflict>();
                for (var k = 0; k < 5; k++)
                {
                    await user.AddMemoryAsync($"I have {k + 2} cats", Vectors.Axis(Dim, 2 * k));
                    var added = await user.AddMemoryAsync($"I have {k + 20} cats", Vectors.Near(Dim, 2 * k, (2 * k) + 1, 0.9));
                    conflicts.Add(Assert.Single(added.Conflicts));
                }

                for (var k = 0; k < 4; k++)
                {
                    await user.ResolveConflictAsync(conflicts[k].Id, new ConflictResolution(ConflictResolutionKind.KeepBoth));
                }

                await user.SetRetentionAsync(new RetentionSettings(MaxResolvedConflicts: 1));
                var kept = await user.GetConflictsAsync();
                Assert.Equal([conflicts[3].Id, conflicts[4].Id], kept.Select(c => c.Id));
                var records = cluster.Storage.LiveRecords(user.GetGrainId());
                Assert.DoesNotContain("conflicts/000000", records); // conflicts 0 and 1
                Assert.Contains("conflicts/000001", records);       // 2 (dropped, skipped) and 3 (kept)
                openId = conflicts[4].Id;
            }

            await using var again = await MemoryCluster.StartAsync(StorageKind.File, directory, o => o.RecordPageSize = 2);
            var restarted = again.Factory.GetGrain<IUserGrain>("conflicted");
            Assert.Equal(2, (await restarted.GetConflictsAsync()).Count);
            var resolved = await restarted.ResolveConflictAsync(openId, new ConflictResolution(ConflictResolutionKind.KeepA));
            Assert.Equal(ConflictStatus.Resolved, resolved.Status);
            Assert.Equal(ConflictStatus.Resolved, Assert.Single(await restarted.GetConflictsAsync(ConflictStatus.Resolved), c => c.Id == openId).Status);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
