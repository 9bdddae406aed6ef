using Xunit.Abstractions;

namespace OrleansMemory.Cluster.Tests;

/// <summary>Erasure finishes by itself: a silo killed (SIGKILL) at five points during <c>DELETE /v1/users/{id}</c> of a
/// user with thousands of memories on file storage, and restarted, removes every file holding the user's text within
/// 30 s without any call to that user (the pending-work record resumes the erasure at start). The 20,000-memory figure
/// is bench/OrleansMemory.Erasure.Benchmarks'.</summary>
public sealed class ErasureCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_erasure_cut_by_sigkill_finishes_after_the_restart_without_a_call_to_the_user()
    {
        using var run = new ErasureCrashRun(3_000, output.WriteLine);
        await run.SeedAsync();
        var took = await run.UninterruptedAsync();
        var results = new List<ErasureKillResult>();
        foreach (var fraction in new[] { 0.0, 0.1, 0.2, 0.3, 0.5 })
        {
            results.Add(await run.KillAsync(took * fraction, $"kill-at-{fraction:F1}"));
        }

        Assert.All(results, r => Assert.True(r.CleanAfter is not null, $"text still stored {ErasureCrashRun.Limit.TotalSeconds} s after the restart: {r}"));
        Assert.Contains(results, r => r.FilesWithTextAtKill > 0); // at least one kill cut an erasure under way
    }
}
