using System.Diagnostics;
using OrleansMemory.Abstractions;

namespace OrleansMemory.Grains.Benchmarks;

/// <summary>The time to append one raw message at history length 100 versus 10,000 (memory storage): paging keeps
/// it constant.</summary>
internal static class AppendBenchmark
{
    public static async Task<string> RunAsync(IGrainFactory grains, int rounds)
    {
        var at100 = new Percentiles();
        var at10000 = new Percentiles();
        for (var round = 0; round < rounds; round++)
        {
            var conversation = grains.GetGrain<IConversationGrain>($"append-{round}");
            await conversation.AppendMessagesAsync(Enumerable.Range(0, 100).Select(Message).ToArray());
            await MeasureAsync(conversation, 100, at100);
            for (var start = 200; start < 10_000; start += 5000)
            {
                await conversation.AppendMessagesAsync(Enumerable.Range(start, Math.Min(5000, 10_000 - start)).Select(Message).ToArray());
            }

            await MeasureAsync(conversation, 10_000, at10000);
            await conversation.DeleteAsync();
        }

        return $"| append one message | {at100.P(50) * 1000:F1} µs | {at10000.P(50) * 1000:F1} µs | {at10000.P(50) / at100.P(50):F2} | " +
            $"{at100.P(99) * 1000:F1} µs | {at10000.P(99) * 1000:F1} µs | {at100.Count} each |";
    }

    private static async Task MeasureAsync(IConversationGrain conversation, int length, Percentiles into)
    {
        for (var i = length; i < length + 100; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await conversation.AppendMessageAsync(Message(i));
            into.Add(t);
        }
    }

    private static RawMessage Message(int i) => new($"m{i}", MessageRoles.User, $"message {i}: some ordinary text of a chat message, about eighty characters.");
}
