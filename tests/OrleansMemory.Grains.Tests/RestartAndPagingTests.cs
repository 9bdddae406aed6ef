using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>State is read back by fresh activations; appends cost the same at any history length.</summary>
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
