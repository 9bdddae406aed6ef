using OrleansMemory.Embeddings.Local;

namespace OrleansMemory.Embeddings.Tests;

/// <summary>The local model runs on a thread of its own, never on a thread-pool thread the silo's grain turns need; its
/// outcomes (a result, an exception, a cancellation before the run) reach the caller as the task's.</summary>
public sealed class ModelThreadTests
{
    [Fact]
    public async Task Work_runs_on_the_model_thread_and_its_outcome_is_the_tasks()
    {
        var (name, pool) = await ModelThread.Interactive.RunAsync(() => (Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread), CancellationToken.None);
        Assert.Equal((ModelThread.Interactive.Name, false), (name, pool));

        await Assert.ThrowsAsync<InvalidOperationException>(() => ModelThread.Interactive.RunAsync<int>(() => throw new InvalidOperationException("bad run"), CancellationToken.None));

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var ran = false;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ModelThread.Interactive.RunAsync(() => ran = true, cancelled.Token));
        Assert.False(ran);
    }

    [Fact]
    public async Task Background_embeddings_run_at_the_idle_policy_and_equal_interactive_ones()
    {
        using var generator = new MiniLmEmbeddingGenerator();
        string[] texts = ["I moved to Lisbon in March", "my sister is a nurse"];
        var interactive = await generator.GenerateAsync(texts); // loads the model first, on the interactive thread
        var background = await generator.GenerateAsync(texts, new() { AdditionalProperties = new() { [BackgroundEmbeddings.PropertyName] = true } });

        Assert.Equal(interactive.Select(e => e.Vector.ToArray()), background.Select(e => e.Vector.ToArray()));
        var policy = await ModelThread.Background.RunAsync(() => Policy(File.ReadAllText("/proc/thread-self/stat")), CancellationToken.None);
        Assert.Equal(IdlePolicy, policy);
        // Only the background thread: ONNX Runtime's workers, which interactive runs use too, kept the normal policy.
        var idle = Directory.GetDirectories("/proc/self/task").Select(task => (Stat: TryRead(Path.Combine(task, "stat")), Name: TryRead(Path.Combine(task, "comm"))))
            .Where(t => t.Stat is not null && Policy(t.Stat) == IdlePolicy).Select(t => t.Name!.Trim()).ToList();
        Assert.Equal(["omem-model-back"], idle); // thread names are cut to 15 bytes
    }

    private const int IdlePolicy = 5;

    /// <summary>The scheduling policy: field 41 of <c>stat</c>, counted after the parenthesized command name.</summary>
    private static int Policy(string stat) => int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[41 - 3], System.Globalization.CultureInfo.InvariantCulture);

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null; // the thread ended meanwhile
        }
    }
}
