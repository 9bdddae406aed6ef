using OrleansMemory.Abstractions;
using OrleansMemory.Client;

namespace OrleansMemory.Cluster.Benchmarks;

/// <summary>Memory operations through <see cref="MemoryStore"/> over the client process's IClusterClient (add a memory
/// with a 384-dimension embedding, top-10 search, append one message) against <see cref="PlainMemory"/> in the same process.</summary>
internal static class MemoryBenchmarks
{
    private const int Dimension = 384;

    /// <summary>Runs the memory cases at 1 and 8 callers (each caller with its own user and conversation).</summary>
    public static async Task RunAsync(MemoryStore store, BenchSettings settings)
    {
        var random = new Random(42);
        var vectors = Enumerable.Range(0, 4096).Select(_ => RandomVector(random)).ToArray();
        var run = Guid.NewGuid().ToString("N")[..8];

        // Warm-up on users and conversations of their own.
        await AddMemoriesAsync(store, $"warm-{run}", 2, 20, vectors);
        await Measure.ForAsync("warm", 2, settings.Warmup, (w, i) => new ValueTask(store.AppendRawMessagesAsync($"warm-{run}-{w}", [Message(i)])));
        var warmPlain = new PlainMemory();
        await Measure.CountAsync("warm", 1, 200, (_, i) => new ValueTask(warmPlain.AddMemoryAsync($"warm {i}", vectors[i])));
        await Measure.ForAsync("warm", 1, settings.Warmup, (_, i) => new ValueTask(warmPlain.SearchAsync(vectors[i % vectors.Length], 10)));
        await Measure.ForAsync("warm", 1, settings.Warmup, (_, i) => new ValueTask(warmPlain.AppendMessageAsync(Message(i))));

        Report.Header($"Memory operations through MemoryStore (client process; memory storage; {Dimension}-dimension embeddings)");
        foreach (var callers in new[] { 1, 8 })
        {
            var prefix = $"{run}-{callers}";
            var plain = Enumerable.Range(0, callers).Select(_ => new PlainMemory()).ToArray();
            var users = Enumerable.Range(0, callers).Select(w => store.Grains.GetGrain<IUserGrain>($"{prefix}-{w}")).ToArray();
            var count = settings.MemoriesPerUser;

            var add = await Measure.CountAsync($"add memory (to {count} per user)", callers, count,
                (w, i) => new ValueTask(users[w].AddMemoryAsync($"memory {i} of caller {w}", vectors[(w * count + i) % vectors.Length])));
            var addPlain = await Measure.CountAsync("plain object: add memory", callers, count,
                (w, i) => new ValueTask(plain[w].AddMemoryAsync($"memory {i} of caller {w}", vectors[(w * count + i) % vectors.Length])));
            Report.Row(add, addPlain);

            var search = await Measure.ForAsync($"search top 10 of {count}", callers, settings.Duration,
                (w, i) => new ValueTask(users[w].SearchAsync(vectors[(i * 7 + w) % vectors.Length], topK: 10)));
            var searchPlain = await Measure.ForAsync("plain object: search top 10", callers, settings.Duration,
                (w, i) => new ValueTask(plain[w].SearchAsync(vectors[(i * 7 + w) % vectors.Length], 10)));
            Report.Row(search, searchPlain);

            var append = await Measure.ForAsync("append message (AppendRawMessagesAsync)", callers, settings.Duration,
                (w, i) => new ValueTask(store.AppendRawMessagesAsync($"{prefix}-{w}", [Message(i)])));
            var appendPlain = await Measure.ForAsync("plain object: append message", callers, settings.Duration,
                (w, i) => new ValueTask(plain[w].AppendMessageAsync(Message(i))));
            Report.Row(append, appendPlain);
        }
    }

    private static async Task AddMemoriesAsync(MemoryStore store, string prefix, int users, int count, float[][] vectors)
    {
        for (var u = 0; u < users; u++)
        {
            var user = store.Grains.GetGrain<IUserGrain>($"{prefix}-{u}");
            for (var i = 0; i < count; i++)
            {
                await user.AddMemoryAsync($"warm {i}", vectors[(u * count + i) % vectors.Length]);
            }

            await user.SearchAsync(vectors[u], 10);
        }
    }

    private static RawMessage Message(int i) =>
        new("", MessageRoles.User, $"Message {i}: the user says something an agent should remember later.");

    private static float[] RandomVector(Random random)
    {
        var vector = new float[Dimension];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return vector;
    }
}
