using System.Diagnostics;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>Unfinished work finishes by itself: an erasure a failure interrupted completes after the silo restarts
/// without any call to that user or conversation (the pending-work record wakes them), and the record is then empty.</summary>
public sealed class PendingWorkTests
{
    [Fact]
    public async Task An_interrupted_erasure_finishes_after_a_restart_without_a_call()
    {
        var directory = MemoryCluster.NewDirectory();
        var marker = Guid.NewGuid().ToString("N");
        try
        {
            await using (var cluster = await MemoryCluster.StartAsync(StorageKind.File, directory))
            {
                var user = cluster.Factory.GetGrain<IUserGrain>($"pending-{marker}");
                await user.AddMemoryAsync($"I live in Oslo {marker}", Vectors.Axis(4, 0));
                await user.AddShortTermMessagesAsync([new ShortTermMessage("user", $"hi {marker}")]);
                var conversation = cluster.Factory.GetGrain<IConversationGrain>($"pending-{marker}");
                await conversation.AppendMessagesAsync([new RawMessage("", "user", $"my secret is {marker}")]);
                await conversation.StoreDocumentAsync(System.Text.Json.JsonSerializer.SerializeToElement(new { note = marker }));

                cluster.Storage.FailNextClearOf(user.GetGrainId(), "history/head");
                await Assert.ThrowsAsync<MemoryStorageException>(() => user.DeleteAllDataAsync());
                cluster.Storage.FailNextClearOf(conversation.GetGrainId(), "current");
                await Assert.ThrowsAsync<MemoryStorageException>(() => conversation.DeleteAsync());
                Assert.NotEmpty(Holding(directory, marker));
            }

            await using (var restarted = await MemoryCluster.StartAsync(StorageKind.File, directory))
            {
                var started = Stopwatch.StartNew();
                while (Holding(directory, marker).Count > 0 && started.Elapsed < TimeSpan.FromSeconds(30))
                {
                    await Task.Delay(250);
                }

                var holding = Holding(directory, marker);
                Assert.True(holding.Count == 0, $"30 s after the restart the interrupted erasures left: {string.Join(", ", holding)}");
                var records = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                    .Where(f => f.Contains("pendingwork", StringComparison.Ordinal)).Select(File.ReadAllText);
                Assert.All(records, r => Assert.DoesNotContain(marker, r, StringComparison.Ordinal));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static List<string> Holding(string directory, string marker) => [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
        .Where(f => File.ReadAllText(f).Contains(marker, StringComparison.Ordinal))];
}
