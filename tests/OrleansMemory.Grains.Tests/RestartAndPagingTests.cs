using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>State is read back by fresh activations and by a new cluster on the same files; appends cost the same at any history length.</summary>
public sealed class RestartAndPagingTests
{
    [Fact]
    public async Task State_is_read_back_after_every_grain_is_deactivated()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.Memory);
        var scenario = new RestartScenario("deactivated/");
        await scenario.WriteAsync(cluster.Factory);

        var grains = scenario.Grains(cluster.Factory);
        var before = cluster.Storage.Reads;
        await cluster.DeactivateAsync(grains);
        foreach (var grain in grains)
        {
            Assert.False(cluster.Cluster.TryGetGrainContext(grain.GetGrainId(), out _), $"{grain.GetGrainId()} is still active.");
        }

        await scenario.AssertReadBackAsync(cluster.Factory);
        Assert.True(cluster.Storage.Reads > before, "The fresh activations read nothing from storage.");
    }

    [Fact]
    public async Task State_survives_a_cluster_restart_on_the_same_directory()
    {
        var directory = MemoryCluster.NewDirectory();
        try
        {
            var scenario = new RestartScenario("");
            await using (var first = await MemoryCluster.StartAsync(StorageKind.File, directory))
            {
                await scenario.WriteAsync(first.Factory);
            }

            await using var second = await MemoryCluster.StartAsync(StorageKind.File, directory);
            Assert.Equal(0, second.Storage.Reads);
            await scenario.AssertReadBackAsync(second.Factory);
            Assert.True(File.Exists(second.FilePath(scenario.Grains(second.Factory)[0].GetGrainId(), "raw_messages/000001")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Appending_message_10000_costs_what_appending_message_100_costs()
    {
        await using var cluster = await MemoryCluster.StartAsync(StorageKind.Memory);
        var conversation = cluster.Factory.GetGrain<IConversationGrain>("long");
        static RawMessage Message(int i) => new($"m{i:D6}", MessageRoles.User, $"message number {i:D6} with some ordinary text in it");

        await conversation.AppendMessagesAsync(Enumerable.Range(0, 100).Select(Message).ToArray());
        var atHundred = await BytesForAppendsAsync(cluster, conversation, 100);

        for (var start = 150; start < 10_000; start += 1000)
        {
            await conversation.AppendMessagesAsync(Enumerable.Range(start, Math.Min(1000, 10_000 - start)).Select(Message).ToArray());
        }

        Assert.Equal(10_000, await conversation.GetMessageCountAsync());
        var atTenThousand = await BytesForAppendsAsync(cluster, conversation, 10_000);
        var ratio = (double)atTenThousand.Bytes / atHundred.Bytes;
        Assert.True(ratio < 1.1, $"Appending at 10,000 wrote {atTenThousand.Bytes} bytes, at 100 {atHundred.Bytes} (ratio {ratio:F2}).");
        Assert.Equal(atHundred.Writes, atTenThousand.Writes); // tail page + head per append

        // And far less than the history itself: a whole-history rewrite would be about 10,000 messages' worth per append.
        Assert.True(atTenThousand.Bytes / 50 < 100 * 120, $"{atTenThousand.Bytes / 50} bytes per append is more than a page.");

        static async Task<(long Bytes, long Writes)> BytesForAppendsAsync(MemoryCluster cluster, IConversationGrain conversation, int from)
        {
            var bytes = cluster.Storage.BytesWritten;
            var writes = cluster.Storage.Writes;
            for (var i = from; i < from + 50; i++)
            {
                await conversation.AppendMessageAsync(Message(i));
            }

            return (cluster.Storage.BytesWritten - bytes, cluster.Storage.Writes - writes);
        }
    }
}
