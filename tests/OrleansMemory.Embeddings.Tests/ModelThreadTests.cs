using OrleansMemory.Embeddings.Local;

namespace OrleansMemory.Embeddings.Tests;

/// <summary>The local model runs on a thread of its own, never on a thread-pool thread the silo's grain turns need; its
/// outcomes (a result, an exception, a cancellation before the run) reach the caller as the task's.</summary>
public sealed class ModelThreadTests
{
    [Fact]
    public async Task Work_runs_on_the_model_thread_and_its_outcome_is_the_tasks()
    {
        var (name, pool) = await ModelThread.RunAsync(() => (Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread), CancellationToken.None);
        Assert.Equal((ModelThread.Name, false), (name, pool));

        await Assert.ThrowsAsync<InvalidOperationException>(() => ModelThread.RunAsync<int>(() => throw new InvalidOperationException("bad run"), CancellationToken.None));

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var ran = false;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ModelThread.RunAsync(() => ran = true, cancelled.Token));
        Assert.False(ran);
    }
}
