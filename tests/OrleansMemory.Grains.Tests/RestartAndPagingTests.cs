using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Tests;

/// <summary>State survives a silo restart on the same file directory; appends cost the same at any history length.</summary>
public sealed class RestartAndPagingTests
{
    [Fact]
    public async Task State_survives_a_silo_restart_on_the_same_directory()
    {
        var directory = TestSilo.NewDirectory();
        try
        {
            string london, paris;
            await using (var first = await TestSilo.StartAsync(StorageKind.File, directory))
            {
                var conversation = first.Factory.GetGrain<IConversationGrain>("conv/1");
                await conversation.AppendMessagesAsync(Enumerable.Range(0, 130).Select(i => new RawMessage($"m{i}", MessageRoles.User, $"text {i}")).ToArray());
                await conversation.StoreDocumentAsync(System.Text.Json.JsonSerializer.SerializeToElement(new { v = 1 }));
                var user = first.Factory.GetGrain<IUserGrain>("tenant/user-1");
                london = (await user.AddMemoryAsync("I live in London", Vectors.Axis(8, 0))).Memory.Id;
                paris = (await user.AddMemoryAsync("I live in Paris", Vectors.Near(8, 0, 1, 0.9))).Memory.Id;
                await user.AddMemoryAsync("I don't eat meat", Vectors.Axis(8, 2));
                await user.AddMemoryAsync("I eat meat", Vectors.Near(8, 2, 3, 0.85));
                await user.AddShortTermMessagesAsync(new[] {new ShortTermMessage(MessageRoles.User, "remember me")});
                await first.Factory.GetGrain<IAgentGrain>("agent-1").AppendChainAsync(new ReasoningChain("ch", [new ReasoningStep(ReasoningStepKind.FinalAnswer, "42")], "conv/1"));
                await first.Factory.GetGrain<ISystemStateGrain>("sys").SetAsync(System.Text.Json.JsonSerializer.SerializeToElement("on"));
            }

            await using var second = await TestSilo.StartAsync(StorageKind.File, directory);
            var reloaded = second.Factory.GetGrain<IConversationGrain>("conv/1");
            Assert.Equal(130, await reloaded.GetMessageCountAsync());
            Assert.Equal("text 129", (await reloaded.GetMessagesAsync(129, 5)).Messages.Single().Content);
            Assert.Equal(131, await reloaded.AppendMessageAsync(new RawMessage("m130", MessageRoles.Assistant, "after restart")));
            Assert.Equal(1, (await reloaded.LoadDocumentAsync())!.Value.GetProperty("v").GetInt32());

            var userAgain = second.Factory.GetGrain<IUserGrain>("tenant/user-1");
            var found = await userAgain.SearchAsync(Vectors.Axis(8, 0), topK: 1);
            Assert.Equal(paris, found.Single().Memory.Id);
            Assert.Equal(paris, (await userAgain.GetMemoryAsync(london))!.SupersededBy);
            Assert.Equal("negation", Assert.Single(await userAgain.GetPendingConflictsAsync()).Category);
            Assert.Single(await userAgain.GetConflictsAsync(ConflictStatus.AutoResolved));
            Assert.Equal(4, (await userAgain.GetHistoryAsync(london)).Count);
            Assert.Equal("remember me", (await userAgain.GetShortTermMessagesAsync()).Single().Content);
            Assert.Equal(8, (await userAgain.GetStatsAsync()).EmbeddingDimension);
            Assert.Equal("42", (await second.Factory.GetGrain<IAgentGrain>("agent-1").GetChainsAsync()).Chains.Single().Steps[0].Content);
            Assert.Equal("conv/1", (await second.Factory.GetGrain<IAgentGrain>("agent-1").GetConversationsAsync()).Single().ConversationId);
            Assert.Equal("on", (await second.Factory.GetGrain<ISystemStateGrain>("sys").GetAsync())!.Value.GetString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Appending_message_10000_costs_what_appending_message_100_costs()
    {
        await using var silo = await TestSilo.StartAsync(StorageKind.Memory);
        var conversation = silo.Factory.GetGrain<IConversationGrain>("long");
        static RawMessage Message(int i) => new($"m{i:D6}", MessageRoles.User, $"message number {i:D6} with some ordinary text in it");

        await conversation.AppendMessagesAsync(Enumerable.Range(0, 100).Select(Message).ToArray());
        var atHundred = await BytesForAppendsAsync(silo, conversation, 100);

        for (var start = 150; start < 10_000; start += 1000)
        {
            await conversation.AppendMessagesAsync(Enumerable.Range(start, Math.Min(1000, 10_000 - start)).Select(Message).ToArray());
        }

        Assert.Equal(10_000, await conversation.GetMessageCountAsync());
        var atTenThousand = await BytesForAppendsAsync(silo, conversation, 10_000);
        var ratio = (double)atTenThousand.Bytes / atHundred.Bytes;
        Assert.True(ratio < 1.1, $"Appending at 10,000 wrote {atTenThousand.Bytes} bytes, at 100 {atHundred.Bytes} (ratio {ratio:F2}).");
        Assert.Equal(atHundred.Writes, atTenThousand.Writes); // tail page + head per append

        // And far less than the history itself: a whole-history rewrite would be about 10,000 messages' worth per append.
        Assert.True(atTenThousand.Bytes / 50 < 100 * 120, $"{atTenThousand.Bytes / 50} bytes per append is more than a page.");

        static async Task<(long Bytes, long Writes)> BytesForAppendsAsync(TestSilo silo, IConversationGrain conversation, int from)
        {
            var bytes = silo.Storage.BytesWritten;
            var writes = silo.Storage.Writes;
            for (var i = from; i < from + 50; i++)
            {
                await conversation.AppendMessageAsync(Message(i));
            }

            return (silo.Storage.BytesWritten - bytes, silo.Storage.Writes - writes);
        }
    }
}
